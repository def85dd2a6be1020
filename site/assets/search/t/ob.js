lectern.search.add("ob",{"object":[19,1,2,22,1,1],"obvious":[10,1,1]});
