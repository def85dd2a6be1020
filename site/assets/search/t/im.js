lectern.search.add("im",{"imagine":[21,1,1],"imitates":[7,1,4],"immediately":[25,1,4],"implementations":[25,2,1,17,1,1]});
