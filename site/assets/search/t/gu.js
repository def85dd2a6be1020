lectern.search.add("gu",{"guess":[2,1,1]});
