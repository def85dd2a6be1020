lectern.search.add("tu",{"tunes":[3,1,3],"turn":[1,1,1,6,1,1],"turned":[0,1,1],"turns":[7,4,3,2,1,0,5,1,5]});
