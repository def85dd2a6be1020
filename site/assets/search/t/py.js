lectern.search.add("py",{"pytorch":[29,2,1,21,1,4]});
