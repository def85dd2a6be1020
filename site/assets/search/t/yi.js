lectern.search.add("yi",{"yields":[23,1,2]});
