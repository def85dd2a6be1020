lectern.search.add("ch",{"changes":[5,1,0,7,1,4],"check":[6,100,0,7,1,4],"checked":[3,1,5],"chosen":[1,1,3]});
