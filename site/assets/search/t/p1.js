lectern.search.add("p1",{"p1":[10,2,1]});
