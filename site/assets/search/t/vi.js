lectern.search.add("vi",{"view":[1,1,3],"views":[1,11,3,7,1,4]});
