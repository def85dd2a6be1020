lectern.search.add("un",{"undefined":[5,1,4,6,1,6],"understanding":[6,100,0,7,1,4],"unlike":[5,1,5],"unordered":[0,1,3],"until":[2,2,1]});
