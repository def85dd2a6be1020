lectern.search.add("i1",{"i1":[8,2,5,11,2,2]});
