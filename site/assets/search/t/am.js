lectern.search.add("am",{"am":[21,2,0,27,1,4],"among":[25,1,3],"amount":[9,1,2],"amounts":[24,1,5]});
