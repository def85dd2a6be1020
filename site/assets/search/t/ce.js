lectern.search.add("ce",{"cell":[0,1,3,7,1,3,9,1,1,16,1,2,22,1,3]});
