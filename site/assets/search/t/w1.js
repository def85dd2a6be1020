lectern.search.add("w1",{"w1":[30,2,2,32,1,2]});
