lectern.search.add("k1",{"k1":[3,1,4]});
