lectern.search.add("i0",{"i0":[8,2,5]});
