lectern.search.add("sl",{"slice":[5,1,3]});
