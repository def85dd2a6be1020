lectern.search.add("gp",{"gpus":[5,1,1]});
