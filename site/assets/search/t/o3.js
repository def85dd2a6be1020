lectern.search.add("o3",{"o3":[32,1,1]});
