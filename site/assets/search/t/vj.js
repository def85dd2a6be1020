lectern.search.add("vj",{"vj":[4,2,3]});
