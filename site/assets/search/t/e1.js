lectern.search.add("e1",{"e1":[10,1,1]});
