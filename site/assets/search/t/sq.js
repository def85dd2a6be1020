lectern.search.add("sq",{"square":[5,4,4,6,2,6]});
