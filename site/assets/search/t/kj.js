lectern.search.add("kj",{"kj":[3,2,4]});
