pragma circom 2.1.6;

// Trade batch, reference size: A = 4 assets, I = 16 instruments, S = 16 scenarios, state depth D = 20, T = 8 trades.
include "batch.circom";

component main = TradeBatchMain(4, 16, 16, 20, 8);
