lectern.search.add("d7",{"d7":[2,1,4]});
