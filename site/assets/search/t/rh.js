lectern.search.add("rh",{"rhat":[29,1,2],"rhyme":[7,1,4]});
