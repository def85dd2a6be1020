lectern.search.add("cl",{"cleanly":[24,1,2],"clicked":[26,1,0,27,1,4],"close":[1,2,1,6,1,3,11,1,1,15,1,3,17,1,2,33,1,3],"closer":[9,1,3],"closest":[24,1,4]});
