lectern.search.add("na",{"naive":[1,2,1,5,1,5,6,1,5]});
