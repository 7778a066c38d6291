pragma circom 2.1.6;

// Reference size: A = 4 assets, I = 16 instruments, S = 16 scenarios, B = 1 account.
include "batch.circom";

component main = SolvencyBatchMain(4, 16, 16, 1, 1);
