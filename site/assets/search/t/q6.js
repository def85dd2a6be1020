lectern.search.add("q6",{"q6":[0,1,3]});
