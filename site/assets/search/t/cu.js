lectern.search.add("cu",{"curiosity":[0,1,5]});
