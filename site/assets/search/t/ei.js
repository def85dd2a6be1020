lectern.search.add("ei",{"either":[11,1,3,33,1,3]});
