lectern.search.add("ga",{"gain":[1,10,5],"gather":[7,1,2]});
