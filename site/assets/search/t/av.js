lectern.search.add("av",{"average":[4,1,5,6,1,2]});
