pragma circom 2.1.6;

// Test size: A = 2 assets, I = 2 instruments, S = 4 scenarios, B = 4 accounts.
include "batch.circom";

component main = SolvencyBatchMain(2, 2, 4, 4, 4);
