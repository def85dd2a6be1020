lectern.search.add("v1",{"v1":[4,1,3]});
