lectern.search.add("b2",{"b2":[30,2,4]});
