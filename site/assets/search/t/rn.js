lectern.search.add("rn",{"rnn":[25,1,1]});
