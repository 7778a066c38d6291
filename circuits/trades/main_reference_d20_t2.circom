pragma circom 2.1.6;

// Trade batch, reference size: A = 4 assets, I = 16 instruments, S = 16 scenarios, state depth D = 20,
// T = 2 trades (the demo's batch; benchmarks/trades.py measures T = 8 and T = 32).
include "batch.circom";

component main = TradeBatchMain(4, 16, 16, 20, 2);
