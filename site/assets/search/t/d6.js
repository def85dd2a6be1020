lectern.search.add("d6",{"d6":[22,1,4]});
