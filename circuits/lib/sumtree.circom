pragma circom 2.1.6;

include "hash.circom";

/*
 * The Merkle sum tree of the ledger: 4-ary, Poseidon, sums packed three to a
 * field element. The same construction is implemented in Python by
 * prover/zksolvency/ledger/ (docs/margin.md, "Circuit structure").
 *
 * Why 4-ary: a node hashes its 4 children and its packed sums in one
 * Poseidon(11) (468 constraints at K = 20), one node per 3 leaves, against a
 * binary node's Poseidon(9) per leaf: 156 instead of 420 constraints per account.
 */

/*
 * sumWidth(height): bits of one packed sum at a node of the given height.
 *
 * A node at height h covers at most 4^h leaves; every leaf value v has
 * abs(v) < 2^64 (balances 0 <= v < 2^64, sizes abs(v) < 2^64, range-checked
 * where the leaf is made), so a sum at height h has abs(sum) < 2^(64 + 2h),
 * and sum + 2^(64 + 2h) lies in [0, 2^(65 + 2h)).
 */
function sumWidth(height) {
    return 65 + 2 * height;
}

/*
 * packedLength(K): field elements holding K packed values, three per element.
 */
function packedLength(K) {
    return (K + 2) \ 3;
}

/*
 * PackSums(K, w)
 *
 * Inputs:      in[K]      signed values with abs(in[k]) < 2^(w-1) (caller's bound)
 * Outputs:     out[packedLength(K)]
 *              out[j] = sum_{m < 3, 3j+m < K} (in[3j+m] + 2^(w-1)) * 2^(w m)
 * Parameters:  K >= 1; w with 1 <= w <= 84, so 3w <= 252 and out[j] < 2^252 < r
 * Proves:      out is the packing above (linear: no constraint of its own after
 *              --O2).
 * Assumes:     the bound on in[k]: then every shifted value lies in [0, 2^w), the
 *              digits do not overlap, and the packing is injective. Nothing is
 *              range-checked here; the caller's bound argument must cover it.
 */
template PackSums(K, w) {
    assert(K >= 1 && w >= 1 && w <= 84);
    var P = packedLength(K);
    signal input in[K];
    signal output out[P];

    // 1. Three shifted values per element, least significant first.
    for (var j = 0; j < P; j++) {
        var acc = 0;
        for (var m = 0; m < 3; m++) {
            if (3 * j + m < K) {
                acc += (in[3 * j + m] + (1 << (w - 1))) * (1 << (w * m));
            }
        }
        out[j] <== acc;
    }
}

/*
 * SumNode4(K, height)
 *
 * Inputs:      childHash[4]        the children's hashes, left to right
 *              childSums[4][K]     the children's sums
 * Outputs:     sums[K] = sum of the four children's sums
 *              hash    = HashVector(4 + packedLength(K))(childHash[0..4),
 *                          PackSums(K, sumWidth(height))(sums))
 * Parameters:  K >= 1 summed quantities; height >= 1 of this node (leaves are 0),
 *              at most 9 (sumWidth(9) = 83, so the packing fits)
 * Proves:      the parent of a Merkle sum tree: its sums are its children's sums
 *              added, and its hash binds the four children and those sums.
 * Assumes:     each child's sums are exact integers with abs < 2^(64 + 2(height-1))
 *              (by induction from range-checked leaves), so the field addition is
 *              the integer addition and abs(sums) < 2^(64 + 2 height), the bound
 *              PackSums needs.
 */
template SumNode4(K, height) {
    assert(K >= 1 && height >= 1 && height <= 9);
    signal input childHash[4];
    signal input childSums[4][K];
    signal output sums[K];
    signal output hash;

    // 1. Parent sums (linear).
    for (var k = 0; k < K; k++) {
        sums[k] <== childSums[0][k] + childSums[1][k] + childSums[2][k] + childSums[3][k];
    }

    // 2. Pack the parent sums at this height's width.
    component pack = PackSums(K, sumWidth(height));
    for (var k = 0; k < K; k++) {
        pack.in[k] <== sums[k];
    }

    // 3. Hash the children and the packed sums.
    var P = packedLength(K);
    component h = HashVector(4 + P);
    for (var c = 0; c < 4; c++) {
        h.in[c] <== childHash[c];
    }
    for (var j = 0; j < P; j++) {
        h.in[4 + j] <== pack.out[j];
    }
    hash <== h.out;
}
