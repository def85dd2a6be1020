lectern.search.add("xc",{"xcat":[10,2,1],"xcatagain":[10,1,3]});
