lectern.search.add("us",{"used":[0,1,2],"useful":[2,1,1,7,1,2],"uses":[6,2,4,5,1,5],"using":[1,1,4,7,1,2]});
