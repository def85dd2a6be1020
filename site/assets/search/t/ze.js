lectern.search.add("ze",{"zero":[0,5,3,3,1,2]});
