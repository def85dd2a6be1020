lectern.search.add("na",{"naive":[21,2,1,25,1,5,26,1,5],"narrow":[19,1,1,33,1,3],"narrower":[18,3,3,19,1,0],"narrows":[30,1,1]});
