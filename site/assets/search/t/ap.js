lectern.search.add("ap",{"apart":[5,10,4,4,1,2],"appears":[0,1,4],"applied":[4,1,2]});
