lectern.search.add("nn",{"nn":[1,1,4,2,1,2,5,1,1,7,1,3]});
