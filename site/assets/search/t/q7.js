lectern.search.add("q7",{"q7":[0,1,3]});
