pragma circom 2.1.6;

include "../lib/range.circom";
include "../lib/hash.circom";
include "circomlib/circuits/poseidon.circom";

/*
 * The top of a round: the batch commitments of a whole exchange, summed and hashed
 * into one public value. The same construction in Python is
 * prover/zksolvency/ledger/round_tree.py (docs/margin.md, "A round").
 */

/*
 * MerkleRoot4(N)
 *
 * Inputs:      leaf[N]      field elements, left to right
 * Outputs:     root         the plain 4-ary Poseidon Merkle root of the leaves
 * Parameters:  N a power of four (1, 4, 16, ...)
 * Proves:      root = leaf[0] when N = 1; otherwise every node is
 *              Poseidon(4)(its four children, left to right), heap layout (root at
 *              slot 0, children of slot n at 4n+1..4n+4, leaves in the last N slots).
 * Assumes:     nothing (no sums, no packing: every child is a whole field element).
 */
template MerkleRoot4(N) {
    var width = 1;
    while (width < N) {
        width *= 4;
    }
    assert(N >= 1 && width == N);
    var NODES = (4 * N - 1) \ 3;
    var FIRST_LEAF = (N - 1) \ 3;
    signal input leaf[N];
    signal output root;

    // 1. Leaves in the last N slots.
    signal hashes[NODES];
    for (var b = 0; b < N; b++) {
        hashes[FIRST_LEAF + b] <== leaf[b];
    }

    // 2. Parents bottom-up, one Poseidon(4) each.
    component node[N > 1 ? FIRST_LEAF : 1];
    for (var n = FIRST_LEAF - 1; n >= 0; n--) {
        node[n] = Poseidon(4);
        for (var c = 0; c < 4; c++) {
            node[n].inputs[c] <== hashes[4 * n + 1 + c];
        }
        hashes[n] <== node[n].out;
    }
    root <== hashes[0];
}

/*
 * SolvencyRoot(A, I, NB)
 *
 * Inputs:      batchRoot[NB]      private: the root hash of each batch's Merkle sum subtree
 *              batchSums[NB][V]   private: each batch's sums, V = A + I + 1 (balance sums,
 *                                 net position sums, then the cost sum; negative as r + x)
 *              marketHash         private: MarketHash of the snapshot, shared by every batch
 *              roundId            private: the round's number, 0 <= roundId < 2^64
 * Outputs:     commitment         Poseidon(globalRoot, totalsHash, marketHash, roundId): the
 *                                 ONE value SolvencyRootMain makes public (the on-chain
 *                                 registry recomputes it with Poseidon(4) from the round's
 *                                 published globalRoot, totalsHash, marketHash and roundId)
 *              batchCommitment[NB]  c_b = Poseidon(batchRoot_b, HashVector(V)(batchSums_b),
 *                                 marketHash, roundId): exactly SolvencyBatch's commitment
 *                                 for this round
 *              globalRoot         MerkleRoot4(NB) of the c_b
 *              totals[V]          sum over the slots of batchSums_b
 *              totalsHash         HashVector(V)(totals)
 * Parameters:  A, I >= 1; NB a power of four (the number of batch slots)
 * Proves:      the public commitment binds a list of batch commitments of THIS round
 *              (through globalRoot) and the totals of the sums those commitments open
 *              to, without revealing any batch's sums. Slots the round does not use
 *              hold padding batches (a batch of B padding accounts), whose commitment
 *              anyone recomputes from the snapshot and the round id.
 * Assumes:     each c_b is the public signal of a verified SolvencyBatch proof or the
 *              padding commitment: the auditor recomputes globalRoot from the
 *              published list of c_b (refusing a commitment listed twice) and checks
 *              every batch proof against it. Then (Poseidon being collision resistant)
 *              batchSums_b are the sums that batch's circuit computed for this round
 *              id, each balance or position sum with abs < 2^(64 + 2 d) for a batch of
 *              4^d accounts, d <= 9 (SumNode4's bound, from range-checked leaves), and
 *              the cost sum with abs < 4^d 2^CB (CB = bitLength(I (2^128 - 1))).
 *
 * Bound argument: abs(totals[k]) <= NB * 4^9 * 2^CB <= NB * 2^(CB + 18) for every k
 * (the cost sum is the widest; the others stay below NB * 2^82). With NB < 2^40 and
 * CB <= 188 for any I below 2^60, every total stays below 2^246 < r/2 ~ 2^252.6, so
 * the field additions below equal the integer additions: totals are the exact integer
 * totals, and totalsHash hashes each as one field element (r + x if negative), as the
 * auditor does with the published totals after range-checking them.
 *
 * roundId is range-checked into 64 bits so that the public commitment names one
 * round number, the one the registry stores as a uint64.
 */
template SolvencyRoot(A, I, NB) {
    assert(A >= 1 && I >= 1 && NB >= 1 && NB < (1 << 40));
    var V = A + I + 1;
    signal input batchRoot[NB];
    signal input batchSums[NB][V];
    signal input marketHash;
    signal input roundId;
    signal output commitment;
    signal output batchCommitment[NB];
    signal output globalRoot;
    signal output totals[V];
    signal output totalsHash;

    // 1. 0 <= roundId < 2^64.
    component roundRange = UnsignedRange(64);
    roundRange.in <== roundId;

    // 2. Each slot's commitment, as SolvencyBatch computes it for this round.
    component sumsH[NB];
    component slot[NB];
    for (var b = 0; b < NB; b++) {
        sumsH[b] = HashVector(V);
        for (var k = 0; k < V; k++) {
            sumsH[b].in[k] <== batchSums[b][k];
        }
        slot[b] = Poseidon(4);
        slot[b].inputs[0] <== batchRoot[b];
        slot[b].inputs[1] <== sumsH[b].out;
        slot[b].inputs[2] <== marketHash;
        slot[b].inputs[3] <== roundId;
        batchCommitment[b] <== slot[b].out;
    }

    // 3. The global root over the slot commitments.
    component tree = MerkleRoot4(NB);
    for (var b = 0; b < NB; b++) {
        tree.leaf[b] <== batchCommitment[b];
    }
    globalRoot <== tree.root;

    // 4. Totals (linear; exact by the bound argument above) and their hash.
    for (var k = 0; k < V; k++) {
        var acc = 0;
        for (var b = 0; b < NB; b++) {
            acc += batchSums[b][k];
        }
        totals[k] <== acc;
    }
    component totalsH = HashVector(V);
    for (var k = 0; k < V; k++) {
        totalsH.in[k] <== totals[k];
    }
    totalsHash <== totalsH.out;

    // 5. The one public value.
    component top = Poseidon(4);
    top.inputs[0] <== globalRoot;
    top.inputs[1] <== totalsHash;
    top.inputs[2] <== marketHash;
    top.inputs[3] <== roundId;
    commitment <== top.out;
}

/*
 * SolvencyRootMain(A, I, NB)
 *
 * Inputs:      as SolvencyRoot, all private
 * Outputs:     commitment, the only public signal
 * Proves:      what SolvencyRoot proves; the verifier learns only
 *              Poseidon(globalRoot, totalsHash, marketHash, roundId), which it
 *              recomputes from the bundle's global root, totals, snapshot and round id.
 */
template SolvencyRootMain(A, I, NB) {
    var V = A + I + 1;
    signal input batchRoot[NB];
    signal input batchSums[NB][V];
    signal input marketHash;
    signal input roundId;
    signal output commitment;

    // 1. The whole statement.
    component round = SolvencyRoot(A, I, NB);
    round.batchRoot <== batchRoot;
    round.batchSums <== batchSums;
    round.marketHash <== marketHash;
    round.roundId <== roundId;
    commitment <== round.commitment;
}

/*
 * SolvencyNodeMain(A, I, NB)
 *
 * Inputs:      as SolvencyRoot, all private: NB children, each opened as (root, sums);
 *              a child is a batch commitment or the commitment of a node one level down
 * Outputs:     out = Poseidon(globalRoot, commitment), the only public signal, where
 *              globalRoot = MerkleRoot4 of the children's commitments and
 *              commitment = Poseidon(globalRoot, totalsHash, marketHash, roundId)
 * Proves:      an intermediate node of a round's tree of roots (rounds with more batches
 *              than one root circuit holds). commitment has exactly the shape of a batch
 *              commitment, Poseidon(root, HashVector(V)(sums), marketHash, roundId), with
 *              root = globalRoot and sums = the node's totals, so the level above opens it
 *              as it opens a batch. The verifier learns only out; it recomputes globalRoot
 *              from the listed children and checks out = Poseidon(globalRoot, listed
 *              commitment), which ties the listed commitment to exactly those children
 *              while the node's totals stay private.
 * Assumes:     what SolvencyRoot assumes of its children.
 */
template SolvencyNodeMain(A, I, NB) {
    var V = A + I + 1;
    signal input batchRoot[NB];
    signal input batchSums[NB][V];
    signal input marketHash;
    signal input roundId;
    signal output out;

    // 1. The node is a root over its children.
    component node = SolvencyRoot(A, I, NB);
    node.batchRoot <== batchRoot;
    node.batchSums <== batchSums;
    node.marketHash <== marketHash;
    node.roundId <== roundId;

    // 2. The one public value binds the children (globalRoot) and the node's commitment.
    component bind = Poseidon(2);
    bind.inputs[0] <== node.globalRoot;
    bind.inputs[1] <== node.commitment;
    out <== bind.out;
}
