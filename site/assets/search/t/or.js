lectern.search.add("or",{"or":[6,11,2,2,1,5],"order":[0,1,3],"original":[0,1,3],"originally":[4,1,5]});
