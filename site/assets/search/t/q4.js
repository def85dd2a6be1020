lectern.search.add("q4",{"q4":[5,8,3,6,8,4]});
