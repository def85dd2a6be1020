lectern.search.add("py",{"pytorch":[1,1,4]});
