lectern.search.add("el",{"elsewhere":[7,1,3]});
