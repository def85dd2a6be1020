lectern.search.add("sw",{"swing":[0,1,3]});
