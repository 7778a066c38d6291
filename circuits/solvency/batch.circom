pragma circom 2.1.6;

include "account.circom";
include "../lib/hash.circom";
include "../lib/leaf.circom";
include "../lib/market.circom";
include "../lib/sumtree.circom";
include "circomlib/circuits/poseidon.circom";

/*
 * SolvencyBatch(A, I, S, B, L)
 *
 * Inputs:      the market: price[A], weight[A], mark[I], shock[I][S]
 *              the accounts of the live slots: idCommitment[L], balance[L][A],
 *              size[L][I], costTotal[L] (padding account: idCommitment 0 and every
 *              value 0); slots L..B-1 hold the padding account, fixed here
 *              roundId: the round the batch is proven for (any field element here;
 *              SolvencyRoot range-checks it into 64 bits)
 * Outputs:     commitment      Poseidon(root, sumsHash, marketHash, roundId): the ONE
 *                              value a main component makes public
 *              root            hash of the batch's Merkle sum subtree
 *              balanceSum[A]   sum over the batch of balance[b][a]
 *              positionSum[I]  sum over the batch of size[b][i] (net open interest)
 *              costSum         sum over the batch of costTotal[b]
 *              sumsHash        HashVector(A + I + 1)(balanceSum, positionSum, costSum)
 *              marketHash      MarketHash(A, I, S) of the market inputs
 *              leaf[B], equity[B], requirement[B]  per account
 * Parameters:  A, I, S >= 1; B a power of four (1, 4, 16, 64, ...), at most 4^9: the
 *              slots of the batch's tree; L with 1 <= L <= B: the live slots, those
 *              that may hold an account. L < B trades B - L accounts per proof for
 *              constraints: a fixed padding slot is constants only (no rule, and its
 *              leaf and every node above padding alone fold to constants under
 *              --O2), so a batch of L accounts fits a smaller domain while its tree,
 *              commitment and inclusion paths stay those of B slots.
 * Proves:      every account of the batch satisfies spec/MARGIN.md's rule
 *              (equity >= requirement, inputs in range) against the hashed market;
 *              leaf, root and sums are computed from exactly those accounts; the
 *              commitment names the round, so a batch proof serves one round only;
 *              slots L..B-1 hold the padding account (what a batch of B slots with
 *              those slots padded commits to: the same tree, hence the same
 *              commitment for the same accounts).
 * Assumes:     the market's ranges are checked by whoever recomputes marketHash
 *              (see AccountMargin). Sums: each balance is in [0, 2^64) and each
 *              size in (-2^64, 2^64) (range-checked by AccountMargin), so a node at
 *              height h has abs(sum) < 2^(64+2h), the bound SumNode4 packs with;
 *              each costTotal has abs < 2^CB (AccountMargin), so costSum has
 *              abs < B 2^CB <= 2^(CB+18), far below r/2: exact, and hashed whole.
 *
 * Tree (4-ary, heap layout, root at slot 0, children of slot n at 4n+1..4n+4,
 * leaves left to right in the last B slots): a leaf carries (leaf[b]; balance[b],
 * size[b]); a parent is SumNode4(A + I, height) of its four children, sums ordered
 * (balances, sizes). For B = 1 the root is the leaf.
 *
 * Why the cost sum is not in the tree: each leaf hash already binds its costTotal,
 * and the root binds the leaves, so costSum = sum_b costTotal[b] (one linear
 * combination, no constraint) is bound to the same accounts. Carrying it in every
 * node would show each holder the cost totals of the three accounts beside them on
 * their inclusion path; this way a holder sees only the batch's cost sum.
 */
template SolvencyBatch(A, I, S, B, L) {
    var depth = 0;
    var width = 1;
    while (width < B) {
        depth++;
        width *= 4;
    }
    assert(B >= 1 && width == B && depth <= 9);
    assert(L >= 1 && L <= B);
    var K = A + I;
    var NODES = (4 * B - 1) \ 3;
    var FIRST_LEAF = (B - 1) \ 3;

    signal input price[A];
    signal input weight[A];
    signal input mark[I];
    signal input shock[I][S];
    signal input idCommitment[L];
    signal input balance[L][A];
    signal input size[L][I];
    signal input costTotal[L];
    signal input roundId;

    signal output commitment;
    signal output root;
    signal output balanceSum[A];
    signal output positionSum[I];
    signal output costSum;
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

    // 3. The rule for each live slot's account, and its leaf.
    component margin[L];
    component leaves[B];
    for (var b = 0; b < L; b++) {
        margin[b] = AccountMargin(A, I, S);
        leaves[b] = AccountLeaf(A, I);
        leaves[b].idCommitment <== idCommitment[b];
        leaves[b].costTotal <== costTotal[b];
        margin[b].costTotal <== costTotal[b];
        for (var a = 0; a < A; a++) {
            margin[b].balance[a] <== balance[b][a];
            margin[b].priceWeight[a] <== priceWeight[a];
            leaves[b].balance[a] <== balance[b][a];
        }
        for (var i = 0; i < I; i++) {
            margin[b].size[i] <== size[b][i];
            margin[b].mark[i] <== mark[i];
            for (var s = 0; s < S; s++) {
                margin[b].shock[i][s] <== shock[i][s];
            }
            leaves[b].size[i] <== size[b][i];
        }
        equity[b] <== margin[b].equity;
        requirement[b] <== margin[b].requirement;
        leaf[b] <== leaves[b].out;
    }

    // 3b. Fixed padding slots (no input): the padding account's leaf, hashed from
    //     constants, so it and every node above padding alone are constants after --O2.
    for (var b = L; b < B; b++) {
        leaves[b] = AccountLeaf(A, I);
        leaves[b].idCommitment <== 0;
        leaves[b].costTotal <== 0;
        for (var a = 0; a < A; a++) {
            leaves[b].balance[a] <== 0;
        }
        for (var i = 0; i < I; i++) {
            leaves[b].size[i] <== 0;
        }
        equity[b] <== 0;
        requirement[b] <== 0;
        leaf[b] <== leaves[b].out;
    }

    // 4. The Merkle sum subtree, bottom-up ((B - 1) / 3 nodes), and the cost sum.
    signal hashes[NODES];
    signal sums[NODES][K];
    for (var b = 0; b < B; b++) {
        hashes[FIRST_LEAF + b] <== leaf[b];
        for (var a = 0; a < A; a++) {
            if (b < L) {
                sums[FIRST_LEAF + b][a] <== balance[b][a];
            } else {
                sums[FIRST_LEAF + b][a] <== 0;
            }
        }
        for (var i = 0; i < I; i++) {
            if (b < L) {
                sums[FIRST_LEAF + b][A + i] <== size[b][i];
            } else {
                sums[FIRST_LEAF + b][A + i] <== 0;
            }
        }
    }
    component node[B > 1 ? FIRST_LEAF : 1];
    for (var n = FIRST_LEAF - 1; n >= 0; n--) {
        // Height of slot n: depth minus its level (slots of level l start at (4^l - 1) / 3).
        var level = 0;
        var start = 1;
        while (start <= n) {
            start = 4 * start + 1;
            level++;
        }
        node[n] = SumNode4(K, depth - level);
        for (var c = 0; c < 4; c++) {
            node[n].childHash[c] <== hashes[4 * n + 1 + c];
            for (var k = 0; k < K; k++) {
                node[n].childSums[c][k] <== sums[4 * n + 1 + c][k];
            }
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
    var costAcc = 0;
    for (var b = 0; b < L; b++) {
        costAcc += costTotal[b];
    }
    costSum <== costAcc;

    // 5. The sums hash and the one public value.
    component sumsH = HashVector(K + 1);
    for (var k = 0; k < K; k++) {
        sumsH.in[k] <== sums[0][k];
    }
    sumsH.in[K] <== costSum;
    sumsHash <== sumsH.out;
    component top = Poseidon(4);
    top.inputs[0] <== root;
    top.inputs[1] <== sumsHash;
    top.inputs[2] <== marketHash;
    top.inputs[3] <== roundId;
    commitment <== top.out;
}

/*
 * SolvencyBatchMain(A, I, S, B, L)
 *
 * Inputs:      as SolvencyBatch, all private
 * Outputs:     commitment, the only public signal
 * Proves:      what SolvencyBatch proves; everything else stays private and the
 *              verifier learns only Poseidon(root, sumsHash, marketHash, roundId),
 *              which the root proof binds to the round's global root.
 */
template SolvencyBatchMain(A, I, S, B, L) {
    signal input price[A];
    signal input weight[A];
    signal input mark[I];
    signal input shock[I][S];
    signal input idCommitment[L];
    signal input balance[L][A];
    signal input size[L][I];
    signal input costTotal[L];
    signal input roundId;
    signal output commitment;

    // 1. The whole statement.
    component batch = SolvencyBatch(A, I, S, B, L);
    batch.price <== price;
    batch.weight <== weight;
    batch.mark <== mark;
    batch.shock <== shock;
    batch.idCommitment <== idCommitment;
    batch.balance <== balance;
    batch.size <== size;
    batch.costTotal <== costTotal;
    batch.roundId <== roundId;
    commitment <== batch.commitment;
}
