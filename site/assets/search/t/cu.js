lectern.search.add("cu",{"curiosity":[20,1,5],"current":[30,1,3],"cut":[6,1,1,18,1,3]});
