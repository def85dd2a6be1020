lectern.search.add("b1",{"b1":[30,2,2,32,1,2]});
