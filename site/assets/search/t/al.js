lectern.search.add("al",{"alike":[1,1,2],"all":[4,3,5,6,3,1,5,2,0,7,2,2,0,1,5,1,1,1,3,1,5],"already":[0,1,1,5,1,5],"also":[5,1,1],"alternating":[0,1,3],"always":[7,1,2]});
