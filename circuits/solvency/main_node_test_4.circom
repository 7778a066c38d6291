pragma circom 2.1.6;

// An intermediate node of a round's tree of roots at the test size: A = 2 assets, I = 2 instruments, NB = 4 children.
include "root.circom";

component main = SolvencyNodeMain(2, 2, 4);
