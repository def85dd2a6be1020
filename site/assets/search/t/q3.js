lectern.search.add("q3",{"q3":[2,4,4]});
