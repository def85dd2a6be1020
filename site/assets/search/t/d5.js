lectern.search.add("d5",{"d5":[22,1,4]});
