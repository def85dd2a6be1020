lectern.search.add("lu",{"lucky":[3,1,1]});
