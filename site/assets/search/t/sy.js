lectern.search.add("sy",{"symmetric":[6,2,1,1,1,1,5,1,5],"symmetry":[3,1,2]});
