lectern.search.add("qj",{"qj":[2,2,2]});
