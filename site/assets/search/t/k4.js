lectern.search.add("k4",{"k4":[0,1,3,13,1,3,14,1,1]});
