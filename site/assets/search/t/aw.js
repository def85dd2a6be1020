lectern.search.add("aw",{"away":[4,1,3]});
