lectern.search.add("ff",{"ffn":[31,2,2,30,1,1,32,1,2]});
