lectern.search.add("er",{"error":[33,1,3]});
