lectern.search.add("kn",{"knob":[1,1,1,6,1,1]});
