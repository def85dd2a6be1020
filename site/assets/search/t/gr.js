lectern.search.add("gr",{"grid":[5,2,5,3,1,2,6,1,5]});
