lectern.search.add("mo",{"model":[0,4,4,1,2,1,5,1,3,6,1,1],"models":[2,1,1],"modifiers":[1,1,2],"moment":[1,1,2],"more":[1,2,1,3,1,3,4,1,2],"mostly":[4,1,5],"move":[0,1,3],"moves":[4,1,5]});
