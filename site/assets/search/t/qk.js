lectern.search.add("qk",{"qkᵀ":[0,1,0,5,1,4]});
