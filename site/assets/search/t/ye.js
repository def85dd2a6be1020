lectern.search.add("ye",{"yet":[0,1,4,20,1,5,25,1,5]});
