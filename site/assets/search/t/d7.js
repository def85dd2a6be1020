lectern.search.add("d7",{"d7":[8,1,5,9,1,2,22,1,4]});
