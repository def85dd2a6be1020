lectern.search.add("q3",{"q3":[22,4,4,0,1,3]});
