lectern.search.add("z1",{"z1":[30,3,3,31,1,2,32,1,2]});
