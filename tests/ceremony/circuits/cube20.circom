pragma circom 2.1.6;

include "cube_chain.circom";

// 40 constraints and one public signal: a domain of 2^6, too big for a power-4 phase-1 file.
component main = CubeChain(20);
