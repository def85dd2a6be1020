lectern.search.add("e8",{"e8":[10,1,1]});
