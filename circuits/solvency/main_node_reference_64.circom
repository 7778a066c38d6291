pragma circom 2.1.6;

// An intermediate node of a round's tree of roots at the reference size: A = 4 assets, I = 16 instruments, NB = 64 children.
include "root.circom";

component main = SolvencyNodeMain(4, 16, 64);
