lectern.search.add("w2",{"w2":[30,2,4]});
