lectern.search.add("vj",{"vj":[24,2,3]});
