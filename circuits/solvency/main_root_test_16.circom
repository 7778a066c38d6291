pragma circom 2.1.6;

// Root of a round at the test size: A = 2 assets, I = 2 instruments, NB = 16 batch slots.
include "root.circom";

component main = SolvencyRootMain(2, 2, 16);
