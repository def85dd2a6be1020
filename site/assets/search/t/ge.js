lectern.search.add("ge",{"general":[2,1,2],"get":[2,1,5,6,1,4],"gets":[1,1,0,7,1,4]});
