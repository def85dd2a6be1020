lectern.search.add("v7",{"v7":[3,1,4]});
