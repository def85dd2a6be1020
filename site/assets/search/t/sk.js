lectern.search.add("sk",{"skip":[10,1,4,32,1,1]});
