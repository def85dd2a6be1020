lectern.search.add("ra",{"random":[2,1,1,5,1,1],"rarely":[1,1,1],"raw":[6,12,5,1,2,0,5,2,5,7,2,0]});
