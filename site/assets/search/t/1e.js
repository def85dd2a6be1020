lectern.search.add("1e",{"1e":[29,1,2,32,1,1]});
