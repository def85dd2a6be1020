lectern.search.add("ye",{"yet":[0,1,5]});
