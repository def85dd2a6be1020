lectern.search.add("d1",{"d1":[0,2,2,2,2,2,3,1,4,5,1,3]});
