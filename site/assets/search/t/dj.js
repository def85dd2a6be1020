lectern.search.add("dj",{"dj":[30,2,4]});
