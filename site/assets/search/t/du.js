lectern.search.add("du",{"during":[7,1,3,20,1,2,21,1,2,28,1,3]});
