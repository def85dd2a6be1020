lectern.search.add("od",{"odd":[0,1,3]});
