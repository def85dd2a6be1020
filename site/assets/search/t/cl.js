lectern.search.add("cl",{"cleanly":[4,1,2],"clicked":[6,1,0,7,1,4],"closest":[4,1,4]});
