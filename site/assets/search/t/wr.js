lectern.search.add("wr",{"write":[1,1,4],"writes":[3,1,3],"writing":[4,1,5],"written":[1,3,1,0,1,3,5,1,1],"wrong":[6,1,1],"wrote":[5,1,4]});
