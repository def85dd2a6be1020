lectern.search.add("ri",{"right":[26,3,6,6,1,3,10,1,3,23,1,1,28,1,3],"rightmost":[20,1,3]});
