lectern.search.add("rl",{"rl":[30,1,3]});
