lectern.search.add("kᵀ",{"kᵀ":[23,1,4]});
