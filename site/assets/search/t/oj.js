lectern.search.add("oj",{"oj":[16,2,2]});
