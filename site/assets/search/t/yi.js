lectern.search.add("yi",{"yields":[3,1,2]});
