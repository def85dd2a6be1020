lectern.search.add("qr",{"qr":[1,5,1]});
