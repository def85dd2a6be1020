lectern.search.add("el",{"elsewhere":[27,1,3]});
