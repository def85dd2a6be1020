lectern.search.add("k7",{"k7":[0,1,3]});
