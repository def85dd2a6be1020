lectern.search.add("gp",{"gpt":[2,1,1,31,1,3],"gpus":[25,1,1]});
