lectern.search.add("fl",{"flipped":[1,1,4],"flows":[4,2,2]});
