lectern.search.add("ty",{"type":[6,2,0,1,1,3,7,1,3]});
