pragma circom 2.1.6;

include "hash.circom";

/*
 * SumNode(K)
 *
 * Inputs:      leftHash, rightHash     the children's hashes
 *              leftSums[K], rightSums[K]  the children's sums
 * Outputs:     sums[K] = leftSums + rightSums
 *              hash    = HashVector(2 + K)(leftHash, rightHash, sums[0..K))
 * Parameters:  K >= 1, the number of summed quantities
 * Proves:      the parent of a Merkle sum tree: its sums are the children's sums
 *              added, and its hash binds both children and those sums.
 * Assumes:     the children's sums are exact integers bounded by the caller (in
 *              the solvency batch: leaf values range-checked, so a node at
 *              height h has abs(sum) <= 2^h (2^64 - 1)), so the field addition
 *              is the integer addition.
 */
template SumNode(K) {
    assert(K >= 1);
    signal input leftHash;
    signal input rightHash;
    signal input leftSums[K];
    signal input rightSums[K];
    signal output sums[K];
    signal output hash;

    // 1. Parent sums (linear).
    for (var k = 0; k < K; k++) {
        sums[k] <== leftSums[k] + rightSums[k];
    }

    // 2. Parent hash over (left hash, right hash, parent sums).
    component h = HashVector(2 + K);
    h.in[0] <== leftHash;
    h.in[1] <== rightHash;
    for (var k = 0; k < K; k++) {
        h.in[2 + k] <== sums[k];
    }
    hash <== h.out;
}
