lectern.search.add("id",{"idea":[2,10,1,3,10,1,4,10,1,1,1,4],"identical":[6,3,8,0,1,5,1,1,4]});
