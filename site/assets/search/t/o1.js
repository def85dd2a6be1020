lectern.search.add("o1",{"o1":[18,3,2,16,1,2]});
