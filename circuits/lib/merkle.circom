pragma circom 2.1.6;

include "range.circom";
include "circomlib/circuits/poseidon.circom";

/*
 * The binary Poseidon Merkle tree of the trade state (zksolvency.state):
 * node = Poseidon(left, right), a leaf's path bit k is bit k of its index
 * (bit 0 at the leaf level; bit 1 = the node is a right child).
 */

/*
 * MerkleUpdate(D)
 *
 * Inputs:      oldLeaf, newLeaf    the slot's value before and after
 *              index               the slot, 0 <= index < 2^D
 *              sibling[D]          the siblings from the leaf level up
 * Outputs:     oldRoot             the root of the tree holding oldLeaf at index
 *              newRoot             the root of the same tree with newLeaf at index
 * Parameters:  D >= 1, the depth
 * Proves:      index is a D-bit integer; oldRoot and newRoot are the roots over
 *              the SAME siblings, so the two trees differ in slot index only.
 *              One pass: both paths share the index bits and the siblings.
 * Assumes:     nothing (the caller compares oldRoot with the root it holds).
 * Cost:        D (bits) + D * (2 + 2 Poseidon(2)) constraints.
 */
template MerkleUpdate(D) {
    assert(D >= 1 && D <= 252);
    signal input oldLeaf;
    signal input newLeaf;
    signal input index;
    signal input sibling[D];
    signal output oldRoot;
    signal output newRoot;

    // 1. The path bits of the index (bit k at level k).
    component bits = Bits(D);
    bits.in <== index;

    // 2. Both paths, bottom-up: left = cur + b (sibling - cur), right = cur + sibling - left.
    signal oldCur[D + 1];
    signal newCur[D + 1];
    signal oldLeft[D];
    signal newLeft[D];
    component oldHash[D];
    component newHash[D];
    oldCur[0] <== oldLeaf;
    newCur[0] <== newLeaf;
    for (var k = 0; k < D; k++) {
        oldLeft[k] <== oldCur[k] + bits.out[k] * (sibling[k] - oldCur[k]);
        newLeft[k] <== newCur[k] + bits.out[k] * (sibling[k] - newCur[k]);
        oldHash[k] = Poseidon(2);
        oldHash[k].inputs[0] <== oldLeft[k];
        oldHash[k].inputs[1] <== oldCur[k] + sibling[k] - oldLeft[k];
        newHash[k] = Poseidon(2);
        newHash[k].inputs[0] <== newLeft[k];
        newHash[k].inputs[1] <== newCur[k] + sibling[k] - newLeft[k];
        oldCur[k + 1] <== oldHash[k].out;
        newCur[k + 1] <== newHash[k].out;
    }
    oldRoot <== oldCur[D];
    newRoot <== newCur[D];
}
