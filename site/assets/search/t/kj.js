lectern.search.add("kj",{"kj":[23,2,4]});
