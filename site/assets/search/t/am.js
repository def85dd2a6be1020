lectern.search.add("am",{"am":[1,2,0,7,1,4],"among":[5,1,3],"amounts":[4,1,5]});
