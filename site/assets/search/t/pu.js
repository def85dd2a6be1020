lectern.search.add("pu",{"purpose":[1,1,0,7,1,4],"put":[3,1,4]});
