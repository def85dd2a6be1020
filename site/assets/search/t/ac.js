lectern.search.add("ac",{"across":[2,1,2],"action":[1,1,2,3,1,3],"actively":[3,1,2],"actual":[3,1,5],"actually":[4,1,0,7,1,4]});
