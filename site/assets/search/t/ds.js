lectern.search.add("ds",{"dsmall":[1,2,1]});
