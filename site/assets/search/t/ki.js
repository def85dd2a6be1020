lectern.search.add("ki",{"killed":[20,1,5],"kind":[17,1,2,21,1,1],"kinds":[20,1,4]});
