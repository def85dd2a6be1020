lectern.search.add("if",{"if":[5,3,4,1,1,1,3,1,1,4,1,5,6,1,8]});
