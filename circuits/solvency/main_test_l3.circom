pragma circom 2.1.6;

// Test size with fixed padding: A = 2, I = 2, S = 4; a tree of B = 4 slots of which the
// first L = 3 hold accounts (the last is fixed padding), for the tests of live slots.
include "batch.circom";

component main = SolvencyBatchMain(2, 2, 4, 4, 3);
