lectern.search.add("du",{"during":[0,1,2,1,1,2]});
