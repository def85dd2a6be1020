lectern.search.add("sw",{"swapped":[6,1,4],"swapping":[4,1,1],"swaps":[26,2,3],"swing":[20,1,3],"swings":[8,1,5],"switches":[11,1,1],"swung":[8,1,5]});
