lectern.search.add("q2",{"q2":[0,1,3,13,1,3]});
