lectern.search.add("k2",{"k2":[0,1,3]});
