lectern.search.add("bi",{"bias":[5,1,1,6,1,7],"bigger":[5,1,1]});
