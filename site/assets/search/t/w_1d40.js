lectern.search.add("wᵀ",{"wᵀ":[7,1,3]});
