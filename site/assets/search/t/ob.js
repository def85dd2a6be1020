lectern.search.add("ob",{"object":[2,1,1]});
