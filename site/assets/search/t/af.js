lectern.search.add("af",{"affects":[4,1,3],"after":[1,2,2,4,2,3]});
