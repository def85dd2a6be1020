lectern.search.add("pp",{"pp":[8,1,6],"ppad":[10,2,3]});
