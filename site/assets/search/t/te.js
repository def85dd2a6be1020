lectern.search.add("te",{"tell":[5,10,4,4,1,4],"tells":[2,1,2],"tempting":[1,10,1],"tend":[0,1,2],"tends":[1,1,1,6,1,1],"tense":[1,1,2,2,1,5],"terms":[3,1,3,6,1,7],"text":[1,1,3,6,1,3]});
