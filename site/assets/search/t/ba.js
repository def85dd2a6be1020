lectern.search.add("ba",{"back":[4,10,4,6,1,0],"backpropagation":[3,1,3,5,1,1],"bag":[0,1,3],"basics":[7,1,2]});
