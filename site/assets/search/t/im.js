lectern.search.add("im",{"imagine":[1,1,1],"immediately":[5,1,4],"implementations":[5,2,1]});
