lectern.search.add("ov",{"over":[4,100,0,7,2,0,2,1,4]});
