lectern.search.add("oc",{"ocat":[3,1,4]});
