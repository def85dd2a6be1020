lectern.search.add("eq",{"equal":[1,1,5,5,1,3,6,1,5]});
