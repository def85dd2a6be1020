lectern.search.add("ag",{"against":[6,3,3,7,3,3,1,2,1,3,2,0,4,1,4],"agree":[5,1,4,7,1,2]});
