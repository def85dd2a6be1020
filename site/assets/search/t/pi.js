lectern.search.add("pi",{"picture":[3,1,5,7,1,2],"pieces":[4,1,4]});
