lectern.search.add("me",{"mean":[6,1,8],"meaning":[2,1,5],"means":[0,13,2,3,3,2,1,2,2,2,1,5],"measures":[3,1,2],"meet":[5,1,4],"message":[6,10,8],"messages":[1,2,2]});
