lectern.search.add("ep",{"epad":[10,2,3]});
