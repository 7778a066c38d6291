pragma circom 2.1.6;

include "circomlib/circuits/poseidon.circom";

/*
 * HashVector(n)
 *
 * Inputs:      in[n]    field elements
 * Outputs:     out      the hash of the vector
 * Parameters:  n >= 1 (fixed per circuit: vectors of different lengths are
 *              never compared, so the construction needs no length prefix)
 * Proves:      out = H(in) for the construction below, using circomlib's
 *              Poseidon (the iden3 parameters, at most 16 inputs per call).
 * Construction (a chain, each element hashed exactly once, in order):
 *              n <= 16:  out = Poseidon(in[0..n))
 *              n > 16:   h = Poseidon(in[0..16)); then for each following chunk c
 *                        of at most 15 elements, h = Poseidon(h, c...); out = h.
 *              For example n = 37: Poseidon(16), then Poseidon(1 + 15),
 *              then Poseidon(1 + 6).
 * Assumes:     nothing (every element is hashed as a whole field element, so
 *              the map from vectors to hash inputs is injective).
 */
template HashVector(n) {
    assert(n >= 1);
    signal input in[n];
    signal output out;

    // 1. Number of Poseidon calls.
    var calls = 1;
    if (n > 16) {
        calls = 1 + (n - 16 + 14) \ 15;
    }
    component h[calls];

    // 2. The first call takes up to 16 elements.
    var first = n < 16 ? n : 16;
    h[0] = Poseidon(first);
    for (var i = 0; i < first; i++) {
        h[0].inputs[i] <== in[i];
    }

    // 3. Each later call takes the previous hash and up to 15 more elements.
    var done = first;
    for (var c = 1; c < calls; c++) {
        var take = n - done < 15 ? n - done : 15;
        h[c] = Poseidon(1 + take);
        h[c].inputs[0] <== h[c - 1].out;
        for (var i = 0; i < take; i++) {
            h[c].inputs[1 + i] <== in[done + i];
        }
        done += take;
    }
    out <== h[calls - 1].out;
}
