lectern.search.add("fl",{"flipped":[21,1,4],"flow":[32,1,1,33,1,3],"flows":[24,2,2]});
