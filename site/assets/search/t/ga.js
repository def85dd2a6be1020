lectern.search.add("ga",{"gain":[29,12,3,21,10,5,31,2,1,33,2,3],"gamma":[29,3,4],"gamma2":[31,2,1],"gap":[1,1,2],"gather":[27,1,2],"gathers":[3,1,1,9,1,3],"gaussian":[33,1,3],"gave":[5,1,2]});
