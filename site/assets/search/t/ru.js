lectern.search.add("ru",{"rules":[3,1,3],"run":[5,1,1],"runs":[2,1,4]});
