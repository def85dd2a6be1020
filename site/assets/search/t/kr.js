lectern.search.add("kr",{"kr":[1,6,1]});
