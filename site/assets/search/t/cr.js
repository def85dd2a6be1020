lectern.search.add("cr",{"cropping":[32,1,2],"cross":[9,1,1]});
