lectern.search.add("k6",{"k6":[0,1,3]});
