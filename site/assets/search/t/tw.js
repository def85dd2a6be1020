lectern.search.add("tw",{"two":[0,13,3,1,12,2,6,3,8,4,2,2,3,1,3]});
