lectern.search.add("fu",{"full":[2,10,3]});
