pragma circom 2.1.6;

// Root of a round at the reference size: A = 4 assets, I = 16 instruments, NB = 64 batch slots.
include "root.circom";

component main = SolvencyRootMain(4, 16, 64);
