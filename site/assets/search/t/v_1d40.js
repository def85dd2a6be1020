lectern.search.add("vᵀ",{"vᵀ":[24,1,3]});
