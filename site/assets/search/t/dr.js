lectern.search.add("dr",{"drift":[0,1,2]});
