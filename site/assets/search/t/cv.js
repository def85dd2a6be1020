lectern.search.add("cv",{"cv":[21,1,2]});
