lectern.search.add("ah",{"ahead":[2,101,0,5,2,2]});
