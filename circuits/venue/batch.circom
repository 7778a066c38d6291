pragma circom 2.1.6;

include "../lib/range.circom";
include "../lib/arith.circom";
include "../lib/hash.circom";
include "../lib/lookup.circom";
include "circomlib/circuits/poseidon.circom";

/*
 * The sparse ("venue") solvency batch: accounts hold at most K positions and C
 * balances as slots (index, value); the market table (I instruments, A assets, S
 * scenarios) is public and read through a weighted logUp lookup, so that a slot costs
 * a few constraints instead of the I S of selecting its row with a one-hot vector.
 *
 * Method (docs/margin.md, "Sparse accounts and the lookup"), per batch of B accounts:
 *
 *   Round 1, the prover commits, by hashes computed in this circuit:
 *     root      4-ary Poseidon tree of the account leaves; each leaf binds the
 *               account's slots (index, size) and (index, balance) and its costTotal
 *     yHash     every account's claimed sums  y_b = (markSum_b, pnl_b[0..S), collateral_b)
 *               markSum = sum_k size_k mark[i_k], pnl[s] = sum_k size_k shock[i_k][s],
 *               collateral = sum_c balance_c price[a_c] weight[a_c]   (all integers)
 *     sumsHash  HashVector(A + 1)(assetTotal[0..A), costSum): the batch's liabilities
 *   ch1 = Poseidon(marketHash, root, yHash, sumsHash); rho = Poseidon(ch1, 1),
 *   beta = Poseidon(ch1, 2).
 *   Round 2, the prover commits xHash = HashVector(I + A)(X[0..I), Z[0..A)), the weighted
 *   multiplicities X_i = sum over position slots reading i of rho^b size,
 *   Z_a = sum over balance slots reading a of rho^b balance; alpha = Poseidon(ch1, xHash).
 *
 *   Checks:
 *   (L1) sum_{position slots} rho^b size / (alpha - i)    = sum_i X_i / (alpha - i)
 *   (L2) sum_{balance slots}  rho^b balance / (alpha - a) = sum_a Z_a / (alpha - a)
 *   (L3) sum_{balance slots}  balance / (alpha - a)       = sum_a assetTotal_a / (alpha - a)
 *   (E)  sum_i X_i R_i + sum_a Z_a Q_a = sum_b rho^b Y_b, with
 *        R_i = mark_i + sum_s beta^(s+1) shock_i[s],  Q_a = beta^(S+1) price_a weight_a,
 *        Y_b = markSum_b + sum_s beta^(s+1) pnl_b[s] + beta^(S+1) collateral_b.
 *   (L1)-(L3) at a random alpha make X, Z, assetTotal the true weighted counts and put
 *   every non-empty slot's index in its table; then (E) is the polynomial identity in
 *   (rho, beta) sum_b rho^b sum_j beta^j (ytrue_b[j] - y_b[j]) = 0, whose coefficients
 *   were fixed before rho and beta: it holds at random (rho, beta) only if every
 *   claimed y equals the true one (Schwartz-Zippel, error (B + S) / r).
 *   Then each account's rule runs on its y exactly as in AccountMargin.
 */

/*
 * SlotOrder(N, NB)
 *
 * Inputs:      idx[N], value[N]   one account's slots (positions or balances)
 * Outputs:     empty[N]           1 exactly when value[k] = 0
 * Parameters:  N >= 1 slots; NB >= 1 bits of the largest index difference
 * Proves:      empty[k] = (value[k] == 0); an empty slot has idx 0; empty slots come
 *              last (empty[k] = 1 implies empty[k+1] = 1); idx[0] is an integer in
 *              [0, 2^NB); for every non-empty slot k+1 > 0, idx[k+1] - idx[k] - 1 is an
 *              integer in [0, 2^NB). Hence the non-empty indexes strictly increase (no
 *              index is held twice) and every index is an integer below N 2^NB
 *              (slotIndexWidth bits): the leaf's packing of the slots is injective
 *              without the lookup's help, so the leaves bind every index before any
 *              challenge is drawn.
 * Assumes:     nothing. (Whether an index is a row of the table is the lookup's job.)
 * Cost:        N (NB + 5) - 2 constraints.
 */
template SlotOrder(N, NB) {
    assert(N >= 1 && NB >= 1 && NB <= 32);
    signal input idx[N];
    signal input value[N];
    signal output empty[N];

    // 1. empty[k] = (value[k] == 0): the hint, then value inverse pinning it.
    signal inverse[N];
    for (var k = 0; k < N; k++) {
        empty[k] <-- value[k] == 0 ? 1 : 0;
        inverse[k] <-- value[k] != 0 ? 1 / value[k] : 0;
        value[k] * inverse[k] === 1 - empty[k];
        value[k] * empty[k] === 0;
    }

    // 2. An empty slot carries index 0 (one canonical padding, for the leaf hash).
    for (var k = 0; k < N; k++) {
        idx[k] * empty[k] === 0;
    }

    // 3. The first index is small, empty slots trail, and non-empty indexes strictly
    //    increase by at most 2^NB each.
    component firstRange = UnsignedRange(NB);
    firstRange.in <== idx[0];
    signal gap[N];
    component gapRange[N];
    gap[0] <== 0;
    for (var k = 0; k + 1 < N; k++) {
        empty[k] * (1 - empty[k + 1]) === 0;
        gap[k + 1] <== (idx[k + 1] - idx[k] - 1) * (1 - empty[k + 1]);
        gapRange[k + 1] = UnsignedRange(NB);
        gapRange[k + 1].in <== gap[k + 1];
    }
}

/*
 * slotIndexWidth(I, A, K, C): bits that hold every slot index SlotOrder allows,
 * max(bitLength(K) + bitLength(I), bitLength(C) + bitLength(A)) (an index is below
 * N 2^NB for N slots and NB = bitLength(table rows)). 18 at I = 2048, A = 64, K = 32, C = 8.
 */
function slotIndexWidth(I, A, K, C) {
    var p = bitLength(K) + bitLength(I);
    var b = bitLength(C) + bitLength(A);
    return p > b ? p : b;
}

/*
 * SlotLeaf(I, A, K, C)
 *
 * Inputs:      idCommitment, costTotal, posIdx[K], posSize[K], balIdx[C], balance[C]
 * Outputs:     out = HashVector(2 + (K + C + 2) \ 3)(idCommitment, costTotal, packed)
 *              where, with IW = slotIndexWidth(I, A, K, C), the K + C slot words,
 *              positions first,
 *                  posIdx + 2^IW (posSize + 2^64)    and    balIdx + 2^IW balance,
 *              are packed three to a field element, IW + 65 bits each.
 * Parameters:  IW + 65 <= 84 (asserted), so three words fit below 2^252 < r.
 * Proves:      out binds the account's commitment, cost total and slots.
 * Assumes:     0 <= idx < 2^IW (SlotOrder), abs(size) < 2^64 and 0 <= balance < 2^64
 *              (VenueAccount's range checks), so every word is below 2^(IW + 65), the
 *              digits do not overlap and the packing is injective: one word, one slot.
 */
template SlotLeaf(I, A, K, C) {
    var N = K + C;
    var P = (N + 2) \ 3;
    var IW = slotIndexWidth(I, A, K, C);
    var WW = IW + 65;
    assert(WW <= 84);
    signal input idCommitment;
    signal input costTotal;
    signal input posIdx[K];
    signal input posSize[K];
    signal input balIdx[C];
    signal input balance[C];
    signal output out;

    // 1. The slot words, then three to an element (linear).
    var word[N];
    for (var k = 0; k < K; k++) {
        word[k] = posIdx[k] + (1 << IW) * (posSize[k] + (1 << 64));
    }
    for (var c = 0; c < C; c++) {
        word[K + c] = balIdx[c] + (1 << IW) * balance[c];
    }
    component h = HashVector(2 + P);
    h.in[0] <== idCommitment;
    h.in[1] <== costTotal;
    for (var j = 0; j < P; j++) {
        var acc = 0;
        for (var m = 0; m < 3; m++) {
            if (3 * j + m < N) {
                acc += word[3 * j + m] * (1 << (WW * m));
            }
        }
        h.in[2 + j] <== acc;
    }
    out <== h.out;
}

/*
 * VenueAccount(I, A, S, K, C)
 *
 * Inputs:      posIdx[K], posSize[K]   position slots (instrument index, contracts)
 *              balIdx[C], balance[C]   balance slots (asset index, minor units)
 *              costTotal               sum of the account's costs
 *              markSum, pnl[S], collateral   the claimed sums y (see the file header)
 *              alpha, rhoPow           the lookup challenge; rho^b for this account
 *              betaPow[S + 2]          Powers of beta
 * Outputs:     equity, requirement     the rule's integers (units 10^12 quote minor units)
 *              posFraction, balFraction, totalFraction
 *                                      this account's parts of the read sides of
 *                                      (L1), (L2), (L3): sums of rho^b size/(alpha - i),
 *                                      rho^b balance/(alpha - a), balance/(alpha - a)
 *              evaluation              rho^b Y_b, its part of the right side of (E)
 * Parameters:  table sizes I, A (each at most 2^16), S scenarios, K and C slots
 * Proves:      sizes abs < 2^64, balances in [0, 2^64), abs(costTotal) < 2^CB
 *              (CB = bitLength(I (2^128 - 1)), as the model's cost total); slots in
 *              canonical order (SlotOrder); and, given that markSum, pnl, collateral
 *              are the account's true sums (the batch's (E)), equity and requirement
 *              are spec/MARGIN.md's integers and equity >= requirement.
 * Assumes:     the market is in the spec's ranges (public, checked by the auditor);
 *              the batch checks (L1)-(L3) and (E).
 * Bounds:      abs(pnl[s]) <= K (2^64-1)^2 < 2^LB, collateral <= C (2^64-1)^2 10^4,
 *              abs(markSum) <= K (2^64-1)^2, so, as in AccountMargin, equity and
 *              requirement are exact integers far below r/2 and the EB-bit check of
 *              equity - requirement reads its sign.
 * The rule's tail (steps 4 to 6 below) is AccountMargin's steps 4, 6 and 7 written on
 * the sums; circuits/solvency/account.circom is left untouched so that the dense
 * circuits keep their constraint counts.
 */
template VenueAccount(I, A, S, K, C) {
    assert(I >= 1 && I <= 65536 && A >= 1 && A <= 65536 && S >= 1 && K >= 1 && C >= 1);
    var W = 10000;
    var M64 = (1 << 64) - 1;
    var M128 = (1 << 128) - 1;
    var LB = bitLength(K * M64 * M64);
    var CB = bitLength(I * M128);
    var EB = bitLength(C * M64 * M64 * W + (K * M64 * M64 + (1 << CB)) * W);

    signal input posIdx[K];
    signal input posSize[K];
    signal input balIdx[C];
    signal input balance[C];
    signal input costTotal;
    signal input markSum;
    signal input pnl[S];
    signal input collateral;
    signal input alpha;
    signal input rhoPow;
    signal input betaPow[S + 2];
    signal output equity;
    signal output requirement;
    signal output posFraction;
    signal output balFraction;
    signal output totalFraction;
    signal output evaluation;

    // 1. Ranges of the account's own values.
    component sizeRange[K];
    for (var k = 0; k < K; k++) {
        sizeRange[k] = SignedRange(64);
        sizeRange[k].in <== posSize[k];
    }
    component balanceRange[C];
    for (var c = 0; c < C; c++) {
        balanceRange[c] = UnsignedRange(64);
        balanceRange[c].in <== balance[c];
    }
    component costRange = SignedRange(CB);
    costRange.in <== costTotal;

    // 2. Canonical slot order: empty slots (value 0, index 0) last, indexes increasing.
    component posOrder = SlotOrder(K, bitLength(I));
    posOrder.idx <== posIdx;
    posOrder.value <== posSize;
    component balOrder = SlotOrder(C, bitLength(A));
    balOrder.idx <== balIdx;
    balOrder.value <== balance;

    // 3. The read sides: a fraction per slot, weighted by its value (0 for an empty
    //    slot: inert), and by rho^b.
    component posRead[K];
    signal posWeighted[K];
    var posAcc = 0;
    for (var k = 0; k < K; k++) {
        posRead[k] = Fraction();
        posRead[k].alpha <== alpha;
        posRead[k].value <== posIdx[k];
        posRead[k].weight <== posSize[k];
        posWeighted[k] <== rhoPow * posRead[k].out;
        posAcc += posWeighted[k];
    }
    posFraction <== posAcc;
    component balRead[C];
    signal balWeighted[C];
    var balAcc = 0;
    var totalAcc = 0;
    for (var c = 0; c < C; c++) {
        balRead[c] = Fraction();
        balRead[c].alpha <== alpha;
        balRead[c].value <== balIdx[c];
        balRead[c].weight <== balance[c];
        balWeighted[c] <== rhoPow * balRead[c].out;
        balAcc += balWeighted[c];
        totalAcc += balRead[c].out;
    }
    balFraction <== balAcc;
    totalFraction <== totalAcc;

    // 4. The claimed sums evaluated at beta, times rho^b: this account's part of (E).
    signal scaled[S + 1];
    var y = markSum;
    for (var s = 0; s < S; s++) {
        scaled[s] <== betaPow[s + 1] * pnl[s];
        y += scaled[s];
    }
    scaled[S] <== betaPow[S + 1] * collateral;
    y += scaled[S];
    evaluation <== rhoPow * y;

    // 5. The rule (AccountMargin's steps 4 and 6): equity = collateral + W (markSum -
    //    costTotal); requirement = W max(0, max_s loss[s]) with loss[s] = -pnl[s].
    equity <== collateral + W * (markSum - costTotal);
    component worst = MaxWithZero(S, LB);
    for (var s = 0; s < S; s++) {
        worst.x[s] <== -pnl[s];
    }
    requirement <== W * worst.out;

    // 6. Solvent (AccountMargin's step 7): equity - requirement is an EB-bit integer.
    component solvent = UnsignedRange(EB);
    solvent.in <== equity - requirement;
}

/*
 * VenueBatch(I, A, S, K, C, B)
 *
 * Inputs:      the market, public: price[A], weight[A], mark[I], shock[I][S] (canonical
 *              order, zero-padded), marketHash (MarketHash of the snapshot, recomputed
 *              by the auditor from these values), roundId
 *              the accounts, private: idCommitment[B], costTotal[B], posIdx[B][K],
 *              posSize[B][K], balIdx[B][C], balance[B][C] (padding account: all 0)
 *              the claimed sums, private: markSum[B], pnl[B][S], collateral[B]
 *              the lookup's multiplicities, private: X[I], Z[A], assetTotal[A]
 * Outputs:     commitment = Poseidon(root, sumsHash, marketHash, roundId)
 *              (and, for tests and the auditor's cross-checks: root, sumsHash,
 *              challenges, equity[B], requirement[B])
 * Parameters:  I, A <= 2^16 table rows; S scenarios; K, C slots; B a power of four
 * Proves:      every account satisfies spec/MARGIN.md's rule against the public market
 *              (equity >= requirement), assetTotal[a] = sum of every account's balance
 *              of asset a, costSum = sum of costTotal; root and sumsHash bind exactly
 *              these accounts and totals. Sound except with the probability bounded
 *              in docs/margin.md ("Error bound"): below 2^-235 per try at venue size.
 * Assumes:     the market values are in the spec's ranges and marketHash is their
 *              MarketHash: the auditor checks both outside the circuit against the
 *              published snapshot (the table and marketHash are public inputs).
 */
template VenueBatch(I, A, S, K, C, B) {
    var depth = 0;
    var width = 1;
    while (width < B) {
        depth++;
        width *= 4;
    }
    assert(B >= 1 && width == B && depth <= 9);

    signal input price[A];
    signal input weight[A];
    signal input mark[I];
    signal input shock[I][S];
    signal input marketHash;
    signal input roundId;
    signal input idCommitment[B];
    signal input costTotal[B];
    signal input posIdx[B][K];
    signal input posSize[B][K];
    signal input balIdx[B][C];
    signal input balance[B][C];
    signal input markSum[B];
    signal input pnl[B][S];
    signal input collateral[B];
    signal input X[I];
    signal input Z[A];
    signal input assetTotal[A];

    signal output commitment;
    signal output root;
    signal output sumsHash;
    signal output alpha;
    signal output rho;
    signal output beta;
    signal output equity[B];
    signal output requirement[B];

    // 1. Round 1 commitments: the leaves and their 4-ary tree ...
    component leaf[B];
    for (var b = 0; b < B; b++) {
        leaf[b] = SlotLeaf(I, A, K, C);
        leaf[b].idCommitment <== idCommitment[b];
        leaf[b].costTotal <== costTotal[b];
        leaf[b].posIdx <== posIdx[b];
        leaf[b].posSize <== posSize[b];
        leaf[b].balIdx <== balIdx[b];
        leaf[b].balance <== balance[b];
    }
    var NODES = (4 * B - 1) \ 3;
    var FIRST_LEAF = (B - 1) \ 3;
    signal hashes[NODES];
    for (var b = 0; b < B; b++) {
        hashes[FIRST_LEAF + b] <== leaf[b].out;
    }
    component node[B > 1 ? FIRST_LEAF : 1];
    for (var n = FIRST_LEAF - 1; n >= 0; n--) {
        node[n] = Poseidon(4);
        for (var c = 0; c < 4; c++) {
            node[n].inputs[c] <== hashes[4 * n + 1 + c];
        }
        hashes[n] <== node[n].out;
    }
    root <== hashes[0];

    // ... the claimed sums ...
    component yHash = HashVector(B * (S + 2));
    for (var b = 0; b < B; b++) {
        yHash.in[b * (S + 2)] <== markSum[b];
        for (var s = 0; s < S; s++) {
            yHash.in[b * (S + 2) + 1 + s] <== pnl[b][s];
        }
        yHash.in[b * (S + 2) + S + 1] <== collateral[b];
    }

    // ... and the liabilities (asset totals, cost sum).
    component sums = HashVector(A + 1);
    var costAcc = 0;
    for (var b = 0; b < B; b++) {
        costAcc += costTotal[b];
    }
    for (var a = 0; a < A; a++) {
        sums.in[a] <== assetTotal[a];
    }
    sums.in[A] <== costAcc;
    sumsHash <== sums.out;

    // 2. Round 1 challenges.
    component ch1 = Poseidon(4);
    ch1.inputs[0] <== marketHash;
    ch1.inputs[1] <== root;
    ch1.inputs[2] <== yHash.out;
    ch1.inputs[3] <== sumsHash;
    component rhoHash = Poseidon(2);
    rhoHash.inputs[0] <== ch1.out;
    rhoHash.inputs[1] <== 1;
    rho <== rhoHash.out;
    component betaHash = Poseidon(2);
    betaHash.inputs[0] <== ch1.out;
    betaHash.inputs[1] <== 2;
    beta <== betaHash.out;

    // 3. Round 2: commit the weighted multiplicities, then alpha.
    component xHash = HashVector(I + A);
    for (var i = 0; i < I; i++) {
        xHash.in[i] <== X[i];
    }
    for (var a = 0; a < A; a++) {
        xHash.in[I + a] <== Z[a];
    }
    component alphaHash = Poseidon(2);
    alphaHash.inputs[0] <== ch1.out;
    alphaHash.inputs[1] <== xHash.out;
    alpha <== alphaHash.out;

    // 4. Powers of rho (one per account) and beta.
    component rhoPow = Powers(B);
    rhoPow.x <== rho;
    component betaPow = Powers(S + 2);
    betaPow.x <== beta;

    // 5. Every account: ranges, order, its fractions, its evaluation, the rule.
    component account[B];
    var posReads = 0;
    var balReads = 0;
    var totalReads = 0;
    var evaluations = 0;
    for (var b = 0; b < B; b++) {
        account[b] = VenueAccount(I, A, S, K, C);
        account[b].posIdx <== posIdx[b];
        account[b].posSize <== posSize[b];
        account[b].balIdx <== balIdx[b];
        account[b].balance <== balance[b];
        account[b].costTotal <== costTotal[b];
        account[b].markSum <== markSum[b];
        account[b].pnl <== pnl[b];
        account[b].collateral <== collateral[b];
        account[b].alpha <== alpha;
        account[b].rhoPow <== rhoPow.out[b];
        account[b].betaPow <== betaPow.out;
        equity[b] <== account[b].equity;
        requirement[b] <== account[b].requirement;
        posReads += account[b].posFraction;
        balReads += account[b].balFraction;
        totalReads += account[b].totalFraction;
        evaluations += account[b].evaluation;
    }

    // 6. The table sides: instrument rows i (weights X_i, evaluations R_i) ...
    component instRow[I];
    signal rowEval[I][S + 1];
    signal instTerm[I];
    var instRows = 0;
    var tableEval = 0;
    for (var i = 0; i < I; i++) {
        instRow[i] = Fraction();
        instRow[i].alpha <== alpha;
        instRow[i].value <== i;
        instRow[i].weight <== X[i];
        instRows += instRow[i].out;
        var r = mark[i];
        for (var s = 0; s < S; s++) {
            rowEval[i][s] <== betaPow.out[s + 1] * shock[i][s];
            r += rowEval[i][s];
        }
        rowEval[i][S] <== r;
        instTerm[i] <== X[i] * rowEval[i][S];
        tableEval += instTerm[i];
    }

    // ... and asset rows a (weights Z_a and assetTotal_a, evaluations Q_a).
    component assetRow[A];
    signal assetInverse[A];
    signal totalTerm[A];
    signal priceWeight[A];
    signal assetEval[A];
    signal assetTerm[A];
    var assetRows = 0;
    var totalRows = 0;
    for (var a = 0; a < A; a++) {
        assetRow[a] = Fraction();
        assetRow[a].alpha <== alpha;
        assetRow[a].value <== a;
        assetRow[a].weight <== 1;
        assetInverse[a] <== assetRow[a].out;
        totalTerm[a] <== assetTotal[a] * assetInverse[a];
        totalRows += totalTerm[a];
        priceWeight[a] <== price[a] * weight[a];
        assetEval[a] <== betaPow.out[S + 1] * priceWeight[a];
        assetTerm[a] <== Z[a] * assetEval[a];
        tableEval += assetTerm[a];
    }
    signal zTerm[A];
    for (var a = 0; a < A; a++) {
        zTerm[a] <== Z[a] * assetInverse[a];
        assetRows += zTerm[a];
    }

    // 7. The identities (L1), (L2), (L3), (E).
    posReads === instRows;
    balReads === assetRows;
    totalReads === totalRows;
    tableEval === evaluations;

    // 8. The one value a main makes public besides the table.
    component top = Poseidon(4);
    top.inputs[0] <== root;
    top.inputs[1] <== sumsHash;
    top.inputs[2] <== marketHash;
    top.inputs[3] <== roundId;
    commitment <== top.out;
}

/*
 * VenueBatchMain(I, A, S, K, C, B)
 *
 * Inputs:      as VenueBatch; main declares price, weight, mark, shock, marketHash and
 *              roundId public
 * Outputs:     commitment
 * Proves:      what VenueBatch proves; the verifier sees the market table, its hash,
 *              the round and the commitment, nothing about any account.
 */
template VenueBatchMain(I, A, S, K, C, B) {
    signal input price[A];
    signal input weight[A];
    signal input mark[I];
    signal input shock[I][S];
    signal input marketHash;
    signal input roundId;
    signal input idCommitment[B];
    signal input costTotal[B];
    signal input posIdx[B][K];
    signal input posSize[B][K];
    signal input balIdx[B][C];
    signal input balance[B][C];
    signal input markSum[B];
    signal input pnl[B][S];
    signal input collateral[B];
    signal input X[I];
    signal input Z[A];
    signal input assetTotal[A];
    signal output commitment;

    // 1. The whole statement.
    component batch = VenueBatch(I, A, S, K, C, B);
    batch.price <== price;
    batch.weight <== weight;
    batch.mark <== mark;
    batch.shock <== shock;
    batch.marketHash <== marketHash;
    batch.roundId <== roundId;
    batch.idCommitment <== idCommitment;
    batch.costTotal <== costTotal;
    batch.posIdx <== posIdx;
    batch.posSize <== posSize;
    batch.balIdx <== balIdx;
    batch.balance <== balance;
    batch.markSum <== markSum;
    batch.pnl <== pnl;
    batch.collateral <== collateral;
    batch.X <== X;
    batch.Z <== Z;
    batch.assetTotal <== assetTotal;
    commitment <== batch.commitment;
}
