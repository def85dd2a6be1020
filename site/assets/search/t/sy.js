lectern.search.add("sy",{"symmetric":[26,2,1,0,1,4,4,1,1,21,1,1,25,1,5],"symmetry":[23,1,2]});
