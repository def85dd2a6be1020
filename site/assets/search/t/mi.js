lectern.search.add("mi",{"middle":[5,1,1],"mirror":[1,1,1],"mismatched":[3,1,2],"missing":[0,10,5],"mix":[5,2,4],"mixed":[4,1,5],"mixes":[0,1,4]});
