pragma circom 2.1.6;

/*
 * Multiplier(N_SQUARINGS)
 *
 * Inputs:      a, b           private field elements
 * Outputs:     c = a * b      public
 *              d = c^(2^N)    public, by N chained squarings
 * Parameters:  N_SQUARINGS    number of squarings (one constraint each)
 * Proves:      the prover knows a and b whose product is c, and d is c raised
 *              to the power 2^N_SQUARINGS. N_SQUARINGS + 1 quadratic constraints.
 * Assumes:     nothing: products are taken in the field, no range is implied.
 *              (a = 1, b = c is a valid witness; this is an example of the
 *              toolchain, not a proof of a nontrivial factorisation.)
 */
template Multiplier(N_SQUARINGS) {
    signal input a;
    signal input b;
    signal output c;
    signal output d;

    // 1. The product.
    c <== a * b;

    // 2. Chained squarings: sq[i] = c^(2^i).
    signal sq[N_SQUARINGS + 1];
    sq[0] <== c;
    for (var i = 1; i <= N_SQUARINGS; i++) {
        sq[i] <== sq[i - 1] * sq[i - 1];
    }
    d <== sq[N_SQUARINGS];
}

component main = Multiplier(3);
