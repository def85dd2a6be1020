lectern.search.add("br",{"bring":[28,10,1,0,1,1,13,1,1],"brings":[1,1,3],"broadcasting":[30,1,2],"broadcasts":[8,1,4]});
