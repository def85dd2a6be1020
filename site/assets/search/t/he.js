lectern.search.add("he",{"head":[5,1,3],"headings":[3,1,5],"heads":[5,1,3],"held":[4,1,5],"help":[7,1,2],"helps":[3,1,3],"here":[5,8,2,2,2,2,0,1,3,1,1,1,4,1,3]});
