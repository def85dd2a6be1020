lectern.search.add("v8",{"v8":[4,1,3]});
