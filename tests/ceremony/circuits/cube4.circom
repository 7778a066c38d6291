pragma circom 2.1.6;

include "cube_chain.circom";

// 8 constraints and one public signal: a domain of 2^4.
component main = CubeChain(4);
