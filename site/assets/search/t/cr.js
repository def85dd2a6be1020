lectern.search.add("cr",{"cropping":[32,1,2]});
