lectern.search.add("q1",{"q1":[5,2,3,2,1,2]});
