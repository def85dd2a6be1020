lectern.search.add("d2",{"d2":[0,1,3,2,1,4]});
