lectern.search.add("ig",{"ignore":[1,1,2]});
