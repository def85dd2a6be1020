lectern.search.add("vi",{"view":[5,1,1,6,1,3,7,1,3,14,1,3,21,1,3],"views":[21,11,3,27,1,4],"visible":[4,1,3]});
