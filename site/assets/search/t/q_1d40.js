lectern.search.add("qᵀ",{"qᵀ":[22,1,3]});
