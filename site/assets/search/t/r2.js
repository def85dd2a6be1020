lectern.search.add("r2",{"r2":[31,4,1]});
