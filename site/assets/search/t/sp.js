lectern.search.add("sp",{"split":[4,1,2],"splitting":[7,1,2]});
