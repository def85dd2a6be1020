lectern.search.add("od",{"odd":[8,1,2,20,1,3]});
