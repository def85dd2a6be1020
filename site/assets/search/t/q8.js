lectern.search.add("q8",{"q8":[2,1,2]});
