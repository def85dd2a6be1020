lectern.search.add("cv",{"cv":[1,1,2]});
