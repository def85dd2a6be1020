lectern.search.add("d4",{"d4":[26,2,4,22,1,4]});
