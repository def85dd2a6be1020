lectern.search.add("eq",{"equal":[4,1,1,21,1,5,25,1,3,26,1,5],"equation":[22,1,3]});
