pragma circom 2.1.6;

include "hash.circom";

/*
 * MarketHash(A, I, S)
 *
 * Inputs:      price[A], weight[A], mark[I], shock[I][S]  (canonical sorted order)
 * Outputs:     out = HashVector(2A + I + I S)(price[0..A), weight[0..A), mark[0..I),
 *                    shock[0][0..S), shock[1][0..S), ..., shock[I-1][0..S))
 * Proves:      out is the hash of the snapshot, every value its own field element
 *              (negative marks and shocks as r + x).
 * Assumes:     nothing; no packing, so the encoding is injective without range checks.
 */
template MarketHash(A, I, S) {
    signal input price[A];
    signal input weight[A];
    signal input mark[I];
    signal input shock[I][S];
    signal output out;

    // 1. Flatten in the canonical order and hash.
    component h = HashVector(2 * A + I + I * S);
    for (var a = 0; a < A; a++) {
        h.in[a] <== price[a];
        h.in[A + a] <== weight[a];
    }
    for (var i = 0; i < I; i++) {
        h.in[2 * A + i] <== mark[i];
        for (var s = 0; s < S; s++) {
            h.in[2 * A + I + i * S + s] <== shock[i][s];
        }
    }
    out <== h.out;
}
