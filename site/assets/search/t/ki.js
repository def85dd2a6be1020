lectern.search.add("ki",{"killed":[0,1,5],"kind":[1,1,1],"kinds":[0,1,4]});
