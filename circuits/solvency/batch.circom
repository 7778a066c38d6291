pragma circom 2.1.6;

include "account.circom";
include "../lib/hash.circom";
include "../lib/sumtree.circom";
include "circomlib/circuits/poseidon.circom";

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

/*
 * AccountLeaf(A, I)
 *
 * Inputs:      idCommitment, balance[A], size[I], cost[I]
 * Outputs:     out = HashVector(1 + A + 2I)(idCommitment, balance[0..A), size[0..I), cost[0..I))
 * Proves:      out binds the account's commitment and every value, each its own
 *              field element (negative sizes and costs as r + x).
 * Assumes:     nothing (no packing).
 */
template AccountLeaf(A, I) {
    signal input idCommitment;
    signal input balance[A];
    signal input size[I];
    signal input cost[I];
    signal output out;

    // 1. Flatten and hash.
    component h = HashVector(1 + A + 2 * I);
    h.in[0] <== idCommitment;
    for (var a = 0; a < A; a++) {
        h.in[1 + a] <== balance[a];
    }
    for (var i = 0; i < I; i++) {
        h.in[1 + A + i] <== size[i];
        h.in[1 + A + I + i] <== cost[i];
    }
    out <== h.out;
}

/*
 * SolvencyBatch(A, I, S, B)
 *
 * Inputs:      the market: price[A], weight[A], mark[I], shock[I][S]
 *              the accounts: idCommitment[B], balance[B][A], size[B][I], cost[B][I]
 *              (padding account: idCommitment 0 and every value 0)
 * Outputs:     commitment      Poseidon(root, sumsHash, marketHash): the ONE value a
 *                              main component makes public
 *              root            hash of the batch's Merkle sum subtree
 *              balanceSum[A]   sum over the batch of balance[b][a]
 *              positionSum[I]  sum over the batch of size[b][i] (net open interest)
 *              sumsHash        HashVector(A + I)(balanceSum, positionSum)
 *              marketHash      MarketHash(A, I, S) of the market inputs
 *              leaf[B], equity[B], requirement[B]  per account
 * Parameters:  A, I, S >= 1; B a power of two (1, 2, 4, ...)
 * Proves:      every account of the batch satisfies spec/MARGIN.md's rule
 *              (equity >= requirement, inputs in range) against the hashed market;
 *              leaf, root and sums are computed from exactly those accounts.
 * Assumes:     the market's ranges are checked by whoever recomputes marketHash
 *              (see AccountMargin). Sums: each balance is in [0, 2^64) and each
 *              size in (-2^64, 2^64), so a node at height h has
 *              0 <= balance sum < 2^(64+h) and abs(position sum) < 2^(64+h):
 *              exact integers for any B below 2^180.
 *
 * Tree: level 0 holds (leaf[b], balance[b], size[b]); a parent is
 * SumNode(A + I) of its two children, sums ordered (balances, sizes).
 */
template SolvencyBatch(A, I, S, B) {
    var depth = 0;
    while ((1 << depth) < B) {
        depth++;
    }
    assert(B >= 1 && (1 << depth) == B);
    var K = A + I;

    signal input price[A];
    signal input weight[A];
    signal input mark[I];
    signal input shock[I][S];
    signal input idCommitment[B];
    signal input balance[B][A];
    signal input size[B][I];
    signal input cost[B][I];

    signal output commitment;
    signal output root;
    signal output balanceSum[A];
    signal output positionSum[I];
    signal output sumsHash;
    signal output marketHash;
    signal output leaf[B];
    signal output equity[B];
    signal output requirement[B];

    // 1. Hash the market snapshot.
    component market = MarketHash(A, I, S);
    for (var a = 0; a < A; a++) {
        market.price[a] <== price[a];
        market.weight[a] <== weight[a];
    }
    for (var i = 0; i < I; i++) {
        market.mark[i] <== mark[i];
        for (var s = 0; s < S; s++) {
            market.shock[i][s] <== shock[i][s];
        }
    }
    marketHash <== market.out;

    // 2. price * weight, once for the whole batch.
    signal priceWeight[A];
    for (var a = 0; a < A; a++) {
        priceWeight[a] <== price[a] * weight[a];
    }

    // 3. The rule for each account, and its leaf.
    component margin[B];
    component leaves[B];
    for (var b = 0; b < B; b++) {
        margin[b] = AccountMargin(A, I, S);
        leaves[b] = AccountLeaf(A, I);
        leaves[b].idCommitment <== idCommitment[b];
        for (var a = 0; a < A; a++) {
            margin[b].balance[a] <== balance[b][a];
            margin[b].priceWeight[a] <== priceWeight[a];
            leaves[b].balance[a] <== balance[b][a];
        }
        for (var i = 0; i < I; i++) {
            margin[b].size[i] <== size[b][i];
            margin[b].cost[i] <== cost[b][i];
            margin[b].mark[i] <== mark[i];
            for (var s = 0; s < S; s++) {
                margin[b].shock[i][s] <== shock[i][s];
            }
            leaves[b].size[i] <== size[b][i];
            leaves[b].cost[i] <== cost[b][i];
        }
        equity[b] <== margin[b].equity;
        requirement[b] <== margin[b].requirement;
        leaf[b] <== leaves[b].out;
    }

    // 4. The Merkle sum subtree, level by level (B - 1 nodes).
    signal hashes[2 * B - 1];
    signal sums[2 * B - 1][K];
    for (var b = 0; b < B; b++) {
        // Level 0 occupies slots [B - 1, 2B - 1) of a heap layout (root at slot 0).
        hashes[B - 1 + b] <== leaf[b];
        for (var a = 0; a < A; a++) {
            sums[B - 1 + b][a] <== balance[b][a];
        }
        for (var i = 0; i < I; i++) {
            sums[B - 1 + b][A + i] <== size[b][i];
        }
    }
    component node[B > 1 ? B - 1 : 1];
    for (var n = B - 2; n >= 0; n--) {
        node[n] = SumNode(K);
        node[n].leftHash <== hashes[2 * n + 1];
        node[n].rightHash <== hashes[2 * n + 2];
        for (var k = 0; k < K; k++) {
            node[n].leftSums[k] <== sums[2 * n + 1][k];
            node[n].rightSums[k] <== sums[2 * n + 2][k];
        }
        hashes[n] <== node[n].hash;
        for (var k = 0; k < K; k++) {
            sums[n][k] <== node[n].sums[k];
        }
    }
    root <== hashes[0];
    for (var a = 0; a < A; a++) {
        balanceSum[a] <== sums[0][a];
    }
    for (var i = 0; i < I; i++) {
        positionSum[i] <== sums[0][A + i];
    }

    // 5. The sums hash and the one public value.
    component sumsH = HashVector(K);
    for (var k = 0; k < K; k++) {
        sumsH.in[k] <== sums[0][k];
    }
    sumsHash <== sumsH.out;
    component top = Poseidon(3);
    top.inputs[0] <== root;
    top.inputs[1] <== sumsHash;
    top.inputs[2] <== marketHash;
    commitment <== top.out;
}

/*
 * SolvencyBatchMain(A, I, S, B)
 *
 * Inputs:      as SolvencyBatch, all private
 * Outputs:     commitment, the only public signal
 * Proves:      what SolvencyBatch proves; everything else stays private and the
 *              verifier learns only Poseidon(root, sumsHash, marketHash), which
 *              it recomputes from the published root, sums and snapshot.
 */
template SolvencyBatchMain(A, I, S, B) {
    signal input price[A];
    signal input weight[A];
    signal input mark[I];
    signal input shock[I][S];
    signal input idCommitment[B];
    signal input balance[B][A];
    signal input size[B][I];
    signal input cost[B][I];
    signal output commitment;

    // 1. The whole statement.
    component batch = SolvencyBatch(A, I, S, B);
    batch.price <== price;
    batch.weight <== weight;
    batch.mark <== mark;
    batch.shock <== shock;
    batch.idCommitment <== idCommitment;
    batch.balance <== balance;
    batch.size <== size;
    batch.cost <== cost;
    commitment <== batch.commitment;
}
