lectern.search.add("kᵀ",{"kᵀ":[5,2,1]});
