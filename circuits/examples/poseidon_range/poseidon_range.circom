pragma circom 2.1.6;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/comparators.circom";

/*
 * PoseidonRange(BITS)
 *
 * Inputs:      x        private, the committed value
 *              salt     private, blinds the commitment
 *              limit    public, the bound x must stay under
 * Outputs:     hash     public, Poseidon(x, salt)
 * Parameters:  BITS     bit width of x and limit (at most 252)
 * Proves:      the prover knows x and salt with Poseidon(x, salt) == hash,
 *              0 <= x < 2^BITS, limit < 2^BITS and x < limit.
 * Assumes:     nothing beyond what it checks: LessThan(BITS) is only sound for
 *              operands below 2^BITS, so both operands are range-checked first.
 */
template PoseidonRange(BITS) {
    signal input x;
    signal input salt;
    signal input limit;
    signal output hash;

    // 1. Range checks: x and limit fit in BITS bits (the assumption LessThan makes).
    component xBits = Num2Bits(BITS);
    xBits.in <== x;
    component limitBits = Num2Bits(BITS);
    limitBits.in <== limit;

    // 2. x < limit.
    component below = LessThan(BITS);
    below.in[0] <== x;
    below.in[1] <== limit;
    below.out === 1;

    // 3. The commitment, made public as an output.
    component h = Poseidon(2);
    h.inputs[0] <== x;
    h.inputs[1] <== salt;
    hash <== h.out;
}

component main {public [limit]} = PoseidonRange(64);
