lectern.search.add("fa",{"factor":[5,1,1,6,1,6],"false":[6,3,8],"familiar":[7,1,2],"far":[5,2,1,1,1,1]});
