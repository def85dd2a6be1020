lectern.search.add("d3",{"d3":[2,1,4]});
