lectern.search.add("dl",{"dlarge":[1,4,1]});
