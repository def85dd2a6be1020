lectern.search.add("jo",{"job":[1,2,2,3,1,5],"jobs":[1,10,2,7,2,2]});
