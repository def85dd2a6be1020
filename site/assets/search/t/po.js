lectern.search.add("po",{"point":[3,2,4],"points":[7,1,1],"poor":[7,1,2],"position":[0,7,3,7,1,4],"positional":[0,2,3],"positions":[0,1,3],"positive":[3,1,2]});
