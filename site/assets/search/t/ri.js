lectern.search.add("ri",{"rich":[4,1,2],"right":[6,2,3,3,1,1],"rightmost":[0,1,3]});
