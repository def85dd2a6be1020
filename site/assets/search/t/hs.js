lectern.search.add("hs",{"hstack":[10,3,3,18,3,2,1,2,1,8,2,5,16,2,0,19,2,1]});
