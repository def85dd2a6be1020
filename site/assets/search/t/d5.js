lectern.search.add("d5",{"d5":[2,1,4]});
