lectern.search.add("k8",{"k8":[3,1,4]});
