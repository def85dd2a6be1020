lectern.search.add("wᵀ",{"wᵀ":[27,1,3]});
