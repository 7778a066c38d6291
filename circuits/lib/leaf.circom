pragma circom 2.1.6;

include "hash.circom";
include "sumtree.circom";

/*
 * AccountLeaf(A, I)
 *
 * Inputs:      idCommitment, costTotal, balance[A], size[I]
 * Outputs:     out = HashVector(2 + packedLength(A + I))(idCommitment, costTotal,
 *                    PackSums(A + I, 65)(balance[0..A), size[0..I)))
 *              i.e. balances and sizes shifted by 2^64 and packed three to an
 *              element (65 bits each), costTotal as its own field element.
 * Proves:      out binds the account's commitment and its values.
 * Assumes:     0 <= balance < 2^64 and abs(size) < 2^64, so that the packing is
 *              injective: the caller range-checks exactly these values for the
 *              same account (AccountRule, circuits/lib/margin.circom, does). costTotal is not packed (any field
 *              element is its own input).
 */
template AccountLeaf(A, I) {
    signal input idCommitment;
    signal input costTotal;
    signal input balance[A];
    signal input size[I];
    signal output out;

    // 1. Pack the leaf's sums (height 0: 65 bits each).
    var K = A + I;
    var P = packedLength(K);
    component pack = PackSums(K, sumWidth(0));
    for (var a = 0; a < A; a++) {
        pack.in[a] <== balance[a];
    }
    for (var i = 0; i < I; i++) {
        pack.in[A + i] <== size[i];
    }

    // 2. Hash the commitment, the cost total and the packed values.
    component h = HashVector(2 + P);
    h.in[0] <== idCommitment;
    h.in[1] <== costTotal;
    for (var j = 0; j < P; j++) {
        h.in[2 + j] <== pack.out[j];
    }
    out <== h.out;
}
