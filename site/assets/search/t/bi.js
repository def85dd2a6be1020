lectern.search.add("bi",{"bias":[30,5,2,33,2,1,17,1,1,25,1,1,26,1,7],"big":[17,10,2],"bigger":[25,1,1],"biggest":[1,1,2]});
