lectern.search.add("ab",{"about":[1,2,2,4,2,4],"above":[2,1,4]});
