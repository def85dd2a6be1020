lectern.search.add("k5",{"k5":[0,1,3,13,1,3,15,1,1]});
