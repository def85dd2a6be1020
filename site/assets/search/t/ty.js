lectern.search.add("ty",{"type":[26,2,0,21,1,3,27,1,3],"typed":[1,1,1],"typical":[1,2,1]});
