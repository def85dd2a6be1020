lectern.search.add("ta",{"table":[0,4,1],"tag":[3,1,1],"tags":[3,1,3],"take":[4,1,4]});
