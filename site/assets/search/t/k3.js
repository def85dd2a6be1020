lectern.search.add("k3",{"k3":[0,1,3]});
