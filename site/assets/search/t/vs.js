lectern.search.add("vs",{"vstack":[6,2,3,18,1,2]});
