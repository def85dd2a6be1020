lectern.search.add("v5",{"v5":[13,1,3,15,1,1,16,1,1]});
