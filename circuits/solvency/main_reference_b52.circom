pragma circom 2.1.6;

// Reference size: A = 4 assets, I = 16 instruments, S = 16 scenarios; a tree of B = 64 slots
// of which the first L = 52 hold accounts and the last 12 are fixed padding. 52 is the most
// that fits a 2^18 domain (258,270 constraints; 64 accounts need 314,418, a 2^19 domain).
include "batch.circom";

component main = SolvencyBatchMain(4, 16, 16, 64, 52);
