lectern.search.add("i2",{"i2":[8,2,5]});
