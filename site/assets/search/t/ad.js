lectern.search.add("ad",{"add":[2,2,4,4,1,5,5,1,1,6,1,4],"adding":[0,10,4],"adjective":[2,1,1],"adjusts":[2,1,5],"advert":[1,1,2],"advertising":[1,1,5,7,1,3]});
