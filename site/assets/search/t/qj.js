lectern.search.add("qj",{"qj":[22,2,2]});
