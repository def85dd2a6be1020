lectern.search.add("ti",{"time":[0,1,6,4,1,4,5,1,1],"times":[5,3,1,3,1,2],"tiny":[7,1,2],"title":[3,1,5]});
