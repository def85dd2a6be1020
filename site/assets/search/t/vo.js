lectern.search.add("vo",{"vocab":[6,6,3],"vocabularies":[6,1,1],"vocabulary":[6,16,2,7,8,2,12,5,3,11,3,1,20,1,2]});
