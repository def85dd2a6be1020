lectern.search.add("v2",{"v2":[4,2,4]});
