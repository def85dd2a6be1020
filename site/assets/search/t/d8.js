lectern.search.add("d8",{"d8":[2,2,2,0,1,2,3,1,4,5,1,3]});
