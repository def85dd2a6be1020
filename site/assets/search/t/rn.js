lectern.search.add("rn",{"rnn":[5,1,1]});
