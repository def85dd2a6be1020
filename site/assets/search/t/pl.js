lectern.search.add("pl",{"place":[4,1,5],"plain":[5,1,0,7,1,4],"plausible":[1,1,1],"play":[3,1,5,4,1,3],"plays":[1,1,2],"plus":[0,3,0,7,1,4]});
