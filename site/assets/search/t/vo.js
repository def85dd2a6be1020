lectern.search.add("vo",{"vocabulary":[0,1,2]});
