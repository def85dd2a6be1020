lectern.search.add("dr",{"draw":[1,2,1],"drawn":[1,1,1],"draws":[1,1,1],"drift":[20,1,2,28,1,3],"drowns":[9,1,2]});
