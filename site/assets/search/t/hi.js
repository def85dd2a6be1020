lectern.search.add("hi",{"hide":[5,1,4],"high":[1,1,1],"highest":[6,1,1]});
