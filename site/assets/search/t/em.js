lectern.search.add("em",{"embedding":[0,5,2,7,1,4],"embeddings":[0,1,2,1,1,1,7,1,2]});
