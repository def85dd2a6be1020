lectern.search.add("ju",{"just":[6,10,1,0,1,3,1,1,4]});
