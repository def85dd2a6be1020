lectern.search.add("sm",{"small":[0,1,1,4,1,2],"smaller":[6,11,6,5,3,3,4,1,5]});
