pragma circom 2.1.6;

// Trade batch, test size: A = 2 assets, I = 2 instruments, S = 4 scenarios, state depth D = 4, T = 2 trades.
include "batch.circom";

component main = TradeBatchMain(2, 2, 4, 4, 2);
