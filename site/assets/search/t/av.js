lectern.search.add("av",{"average":[1,1,1,24,1,5,26,1,2],"averaging":[6,1,3],"avoid":[32,1,1]});
