lectern.search.add("bl",{"blocks":[1,2,3]});
