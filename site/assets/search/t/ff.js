lectern.search.add("ff",{"ff":[33,1,3],"ffn":[31,2,2,30,1,1,32,1,2]});
