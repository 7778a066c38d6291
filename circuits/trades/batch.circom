pragma circom 2.1.6;

include "trade.circom";
include "../lib/hash.circom";
include "../lib/market.circom";

/*
 * SnapshotHash(A, I, S)
 *
 * Inputs:      price[A], weight[A], mark[I], shock[I][S] (maintenance),
 *              initialShock[I][S], bandBps[I], name[I]   (sorted instrument order)
 * Outputs:     out = HashVector(1 + 2 I + I S)(MarketHash(price, weight, mark, shock),
 *                    bandBps[0..I), initialShock[0][0..S), ..., initialShock[I-1][0..S),
 *                    name[0..I))
 *              marketHash   the solvency market hash of the same snapshot
 * Proves:      out is the trade snapshot hash of zksolvency.trades.snapshot, every
 *              value its own field element.
 * Assumes:     nothing (no packing: the encoding is injective).
 */
template SnapshotHash(A, I, S) {
    signal input price[A];
    signal input weight[A];
    signal input mark[I];
    signal input shock[I][S];
    signal input initialShock[I][S];
    signal input bandBps[I];
    signal input name[I];
    signal output out;
    signal output marketHash;

    // 1. The solvency market hash.
    component market = MarketHash(A, I, S);
    market.price <== price;
    market.weight <== weight;
    market.mark <== mark;
    market.shock <== shock;
    marketHash <== market.out;

    // 2. The trade fields after it.
    component h = HashVector(1 + 2 * I + I * S);
    h.in[0] <== marketHash;
    for (var i = 0; i < I; i++) {
        h.in[1 + i] <== bandBps[i];
        for (var s = 0; s < S; s++) {
            h.in[1 + I + i * S + s] <== initialShock[i][s];
        }
        h.in[1 + I + I * S + i] <== name[i];
    }
    out <== h.out;
}

/*
 * TradeBatch(A, I, S, D, T)
 *
 * Inputs:      the snapshot (SnapshotHash's inputs), batchId, batchTime, feeBps,
 *              oldRoot, and per trade t the inputs of Trade (kind[t], sel[t], q[t],
 *              p[t], liqBuyer[t], liqSeller[t], and each side's account, path, order
 *              and signature), all private
 * Outputs:     commitment   Poseidon(oldRoot, newRoot, snapshotHash, tradesCommitment)
 *              header       batchId 2^80 + batchTime 2^16 + feeBps
 *              newRoot, snapshotHash, tradesCommitment, marketHash
 * Parameters:  A, I, S >= 1; D the state depth; T >= 1 trades (padding allowed)
 * Proves:      batchId < 2^64, batchTime < 2^64, feeBps <= 10^4 (so the header is
 *              injective); every trade is valid (Trade) against the snapshot, applied
 *              in order: the root moves oldRoot -> ... -> newRoot through each
 *              trade's buyer then seller update; tradesCommitment =
 *              HashVector(T)(tradeHash[0..T)).
 * Assumes:     the snapshot's ranges (Trade, AccountRule): its hash is registered
 *              on chain by an operator who validated it.
 */
template TradeBatch(A, I, S, D, T) {
    assert(T >= 1);
    signal input price[A];
    signal input weight[A];
    signal input mark[I];
    signal input shock[I][S];
    signal input initialShock[I][S];
    signal input bandBps[I];
    signal input name[I];
    signal input batchId;
    signal input batchTime;
    signal input feeBps;
    signal input oldRoot;

    signal input kind[T];
    signal input sel[T][I];
    signal input q[T];
    signal input p[T];
    signal input liqBuyer[T];
    signal input liqSeller[T];
    signal input account[T][2];
    signal input salt[T][2];
    signal input balance[T][2][A];
    signal input size[T][2][I];
    signal input costTotal[T][2];
    signal input nonce[T][2];
    signal input Ax[T][2];
    signal input Ay[T][2];
    signal input index[T][2];
    signal input sibling[T][2][D];
    signal input orderSize[T][2];
    signal input limit[T][2];
    signal input expiry[T][2];
    signal input R8x[T][2];
    signal input R8y[T][2];
    signal input sigS[T][2];

    signal output commitment;
    signal output header;
    signal output newRoot;
    signal output snapshotHash;
    signal output tradesCommitment;
    signal output marketHash;

    // 1. The header's parts in range (feeBps <= 10^4), and the header.
    component idRange = UnsignedRange(64);
    idRange.in <== batchId;
    component timeRange = UnsignedRange(64);
    timeRange.in <== batchTime;
    component feeLow = UnsignedRange(14);
    feeLow.in <== feeBps;
    component feeHigh = UnsignedRange(14);
    feeHigh.in <== 10000 - feeBps;
    header <== batchId * (1 << 80) + batchTime * (1 << 16) + feeBps;

    // 2. The snapshot hash.
    component snapshot = SnapshotHash(A, I, S);
    snapshot.price <== price;
    snapshot.weight <== weight;
    snapshot.mark <== mark;
    snapshot.shock <== shock;
    snapshot.initialShock <== initialShock;
    snapshot.bandBps <== bandBps;
    snapshot.name <== name;
    snapshotHash <== snapshot.out;
    marketHash <== snapshot.marketHash;

    // 3. price * weight, once.
    signal priceWeight[A];
    for (var a = 0; a < A; a++) {
        priceWeight[a] <== price[a] * weight[a];
    }

    // 4. The trades, in order, each from the root the previous one left.
    component trade[T];
    component hashes = HashVector(T);
    signal root[T + 1];
    root[0] <== oldRoot;
    for (var t = 0; t < T; t++) {
        trade[t] = Trade(A, I, S, D);
        trade[t].kind <== kind[t];
        trade[t].sel <== sel[t];
        trade[t].q <== q[t];
        trade[t].p <== p[t];
        trade[t].liqBuyer <== liqBuyer[t];
        trade[t].liqSeller <== liqSeller[t];
        trade[t].priceWeight <== priceWeight;
        trade[t].mark <== mark;
        trade[t].shockI <== initialShock;
        trade[t].shockM <== shock;
        trade[t].bandBps <== bandBps;
        trade[t].name <== name;
        trade[t].feeBps <== feeBps;
        trade[t].batchTime <== batchTime;
        trade[t].rootIn <== root[t];
        trade[t].account <== account[t];
        trade[t].salt <== salt[t];
        trade[t].balance <== balance[t];
        trade[t].size <== size[t];
        trade[t].costTotal <== costTotal[t];
        trade[t].nonce <== nonce[t];
        trade[t].Ax <== Ax[t];
        trade[t].Ay <== Ay[t];
        trade[t].index <== index[t];
        trade[t].sibling <== sibling[t];
        trade[t].orderSize <== orderSize[t];
        trade[t].limit <== limit[t];
        trade[t].expiry <== expiry[t];
        trade[t].R8x <== R8x[t];
        trade[t].R8y <== R8y[t];
        trade[t].sigS <== sigS[t];
        root[t + 1] <== trade[t].rootOut;
        hashes.in[t] <== trade[t].tradeHash;
    }
    newRoot <== root[T];
    tradesCommitment <== hashes.out;

    // 5. The one hashed public value.
    component top = Poseidon(4);
    top.inputs[0] <== oldRoot;
    top.inputs[1] <== newRoot;
    top.inputs[2] <== snapshotHash;
    top.inputs[3] <== tradesCommitment;
    commitment <== top.out;
}

/*
 * TradeBatchMain(A, I, S, D, T)
 *
 * Inputs:      as TradeBatch, all private
 * Outputs:     commitment, header: the two public signals, in this order
 * Proves:      what TradeBatch proves; the verifier learns only
 *              public[0] = Poseidon(oldRoot, newRoot, snapshotHash, tradesCommitment)
 *              and public[1] = the header, which SettlementGate recomputes.
 */
template TradeBatchMain(A, I, S, D, T) {
    signal input price[A];
    signal input weight[A];
    signal input mark[I];
    signal input shock[I][S];
    signal input initialShock[I][S];
    signal input bandBps[I];
    signal input name[I];
    signal input batchId;
    signal input batchTime;
    signal input feeBps;
    signal input oldRoot;
    signal input kind[T];
    signal input sel[T][I];
    signal input q[T];
    signal input p[T];
    signal input liqBuyer[T];
    signal input liqSeller[T];
    signal input account[T][2];
    signal input salt[T][2];
    signal input balance[T][2][A];
    signal input size[T][2][I];
    signal input costTotal[T][2];
    signal input nonce[T][2];
    signal input Ax[T][2];
    signal input Ay[T][2];
    signal input index[T][2];
    signal input sibling[T][2][D];
    signal input orderSize[T][2];
    signal input limit[T][2];
    signal input expiry[T][2];
    signal input R8x[T][2];
    signal input R8y[T][2];
    signal input sigS[T][2];
    signal output commitment;
    signal output header;

    // 1. The whole statement.
    component batch = TradeBatch(A, I, S, D, T);
    batch.price <== price;
    batch.weight <== weight;
    batch.mark <== mark;
    batch.shock <== shock;
    batch.initialShock <== initialShock;
    batch.bandBps <== bandBps;
    batch.name <== name;
    batch.batchId <== batchId;
    batch.batchTime <== batchTime;
    batch.feeBps <== feeBps;
    batch.oldRoot <== oldRoot;
    batch.kind <== kind;
    batch.sel <== sel;
    batch.q <== q;
    batch.p <== p;
    batch.liqBuyer <== liqBuyer;
    batch.liqSeller <== liqSeller;
    batch.account <== account;
    batch.salt <== salt;
    batch.balance <== balance;
    batch.size <== size;
    batch.costTotal <== costTotal;
    batch.nonce <== nonce;
    batch.Ax <== Ax;
    batch.Ay <== Ay;
    batch.index <== index;
    batch.sibling <== sibling;
    batch.orderSize <== orderSize;
    batch.limit <== limit;
    batch.expiry <== expiry;
    batch.R8x <== R8x;
    batch.R8y <== R8y;
    batch.sigS <== sigS;
    commitment <== batch.commitment;
    header <== batch.header;
}
