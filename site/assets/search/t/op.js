lectern.search.add("op",{"open":[2,1,3,4,1,4],"opening":[3,1,5,6,1,0]});
