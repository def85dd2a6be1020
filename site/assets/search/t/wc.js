lectern.search.add("wc",{"wcat":[2,1,3]});
