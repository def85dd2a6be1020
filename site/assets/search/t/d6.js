lectern.search.add("d6",{"d6":[2,1,4]});
