lectern.search.add("i3",{"i3":[8,2,5]});
