lectern.search.add("d4",{"d4":[2,1,4]});
