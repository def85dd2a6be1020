lectern.search.add("p8",{"p8":[10,1,1]});
