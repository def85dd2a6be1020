lectern.search.add("fj",{"fj":[30,2,2]});
