pragma circom 2.1.6;

include "side.circom";

/*
 * AbsoluteValue(n)
 *
 * Inputs:      in       a signed value, negative x encoded as r + x
 * Outputs:     out      abs(in)
 * Parameters:  n, 1 <= n <= 252
 * Proves:      out = abs(in) and abs(in) < 2^n.
 * Assumes:     nothing. The sign is a hint pinned boolean; out = in (1 - 2 neg) is
 *              range-checked into n bits, which holds for the honest sign only
 *              (the other sign gives r - abs(in), at least r - 2^n, when in != 0).
 * Cost:        n + 2 constraints.
 */
template AbsoluteValue(n) {
    signal input in;
    signal output out;

    // 1. The sign, a hint (vars compare as signed integers) ...
    signal neg;
    neg <-- in < 0 ? 1 : 0;
    // 2. ... pinned to {0, 1}, and out = abs(in) in n bits.
    neg * (neg - 1) === 0;
    out <== in * (1 - 2 * neg);
    component range = UnsignedRange(n);
    range.in <== out;
}

/*
 * Trade(A, I, S, D)
 *
 * Inputs:      kind          0 padding, 1 matched, 2 liquidation
 *              sel[I]        one-hot instrument selector (all 0 for padding)
 *              q, p          size and price
 *              liqBuyer, liqSeller   which side a liquidation liquidates
 *              buyer / seller        each side's account, path, order and signature
 *                                    (TradeSide's private inputs, prefixed b / s)
 *              the market: priceWeight[A], mark[I], shockI[I][S] (initial),
 *              shockM[I][S] (maintenance), bandBps[I], name[I]
 *              feeBps, batchTime  (range-checked by the batch: feeBps <= 10^4,
 *                                  batchTime < 2^64)
 *              rootIn
 * Outputs:     rootOut       the root after the buyer's then the seller's update
 *              tradeHash     Poseidon(kind, M_buy, M_sell, q, p) with a side's
 *                            message 0 when it signed nothing
 * Parameters:  A, I, S >= 1; D the state depth
 * Proves:      kind is 0, 1 or 2; a liquidation liquidates exactly one side, a
 *              matched trade none; the buyer signs unless liquidated, the seller
 *              likewise; both orders name the one selected instrument;
 *              0 <= q < 2^64, and q != 0 when active; abs(p) < 2^64;
 *              abs(p - mark) * 10^4 <= bandBps * abs(mark) (the band);
 *              fee = ceil(q abs(p) feeBps / 10^4) exactly (10^4 fee = q abs(p) feeBps
 *              + rem with 0 <= rem < 10^4 and fee < 2^129, so no wrap-around);
 *              then TradeSide for the buyer (SIDE 0) and the seller (SIDE 1), in
 *              this order, the seller's path checked against the root after the
 *              buyer's update (so one account on both sides works).
 * Assumes:     the market's ranges (AccountRule), and 0 <= bandBps[i] < 2^14:
 *              the snapshot hash binds them and whoever registers it validates them.
 *
 * Bound argument (band): bandBps * abs(mark) < 2^78, 10^4 abs(p - mark) < 2^79,
 * so their difference is an exact integer of absolute value < 2^80 and its 78-bit
 * decomposition exists exactly when it is >= 0.
 */
template Trade(A, I, S, D) {
    var W = 10000;

    signal input kind;
    signal input sel[I];
    signal input q;
    signal input p;
    signal input liqBuyer;
    signal input liqSeller;
    signal input priceWeight[A];
    signal input mark[I];
    signal input shockI[I][S];
    signal input shockM[I][S];
    signal input bandBps[I];
    signal input name[I];
    signal input feeBps;
    signal input batchTime;
    signal input rootIn;

    // Per side (index 0 buyer, 1 seller).
    signal input account[2];
    signal input salt[2];
    signal input balance[2][A];
    signal input size[2][I];
    signal input costTotal[2];
    signal input nonce[2];
    signal input Ax[2];
    signal input Ay[2];
    signal input index[2];
    signal input sibling[2][D];
    signal input orderSize[2];
    signal input limit[2];
    signal input expiry[2];
    signal input R8x[2];
    signal input R8y[2];
    signal input sigS[2];

    signal output rootOut;
    signal output tradeHash;

    // 1. The kind: hints pinned by kind = matched + 2 liquidation, both boolean, not both.
    signal matched;
    signal liquidation;
    matched <-- kind == 1 ? 1 : 0;
    liquidation <-- kind == 2 ? 1 : 0;
    matched * (matched - 1) === 0;
    liquidation * (liquidation - 1) === 0;
    matched * liquidation === 0;
    kind === matched + 2 * liquidation;
    signal active <== matched + liquidation;
    liqBuyer * (liqBuyer - 1) === 0;
    liqSeller * (liqSeller - 1) === 0;
    liqBuyer + liqSeller === liquidation;

    // 2. One instrument, one selector for every market lookup.
    var selSum = 0;
    signal selName[I];
    signal selMark[I];
    signal selBand[I];
    signal selQ[I];
    var instrument = 0;
    var markSelAcc = 0;
    var bandSelAcc = 0;
    for (var i = 0; i < I; i++) {
        sel[i] * (sel[i] - 1) === 0;
        selSum += sel[i];
        selName[i] <== sel[i] * name[i];
        selMark[i] <== sel[i] * mark[i];
        selBand[i] <== sel[i] * bandBps[i];
        selQ[i] <== sel[i] * q;
        instrument += selName[i];
        markSelAcc += selMark[i];
        bandSelAcc += selBand[i];
    }
    selSum === active;
    signal markSel <== markSelAcc;
    signal bandSel <== bandSelAcc;
    signal selShockI[S][I];
    signal selShockM[S][I];
    signal shockSelI[S];
    signal shockSelM[S];
    for (var s = 0; s < S; s++) {
        var accI = 0;
        var accM = 0;
        for (var i = 0; i < I; i++) {
            selShockI[s][i] <== sel[i] * shockI[i][s];
            selShockM[s][i] <== sel[i] * shockM[i][s];
            accI += selShockI[s][i];
            accM += selShockM[s][i];
        }
        shockSelI[s] <== accI;
        shockSelM[s] <== accM;
    }

    // 3. 0 <= q < 2^64 and q != 0 when active (q qInv = 1, qInv a hint), abs(p) < 2^64.
    component qRange = UnsignedRange(64);
    qRange.in <== q;
    signal qInv;
    qInv <-- q != 0 ? 1 / q : 0;
    signal qOne <== q * qInv;
    active * (qOne - 1) === 0;
    component absP = AbsoluteValue(64);
    absP.in <== p;

    // 4. The band: abs(p - mark) * 10^4 <= bandBps * abs(mark).
    component absMark = AbsoluteValue(64);
    absMark.in <== markSel;
    component absGap = AbsoluteValue(66);
    absGap.in <== p - markSel;
    signal allowed <== bandSel * absMark.out;
    component band = UnsignedRange(78);
    band.in <== allowed - W * absGap.out;

    // 5. The fee: 10^4 fee = q abs(p) feeBps + rem, 0 <= rem < 10^4, fee < 2^129.
    signal notional <== q * absP.out;
    signal charged <== notional * feeBps;
    signal fee;
    fee <-- (charged + W - 1) \ W;
    component feeRange = UnsignedRange(129);
    feeRange.in <== fee;
    signal rem <== W * fee - charged;
    component remLow = UnsignedRange(14);
    remLow.in <== rem;
    component remHigh = UnsignedRange(14);
    remHigh.in <== W - 1 - rem;

    // 6. Shared products of both sides.
    signal qp <== q * p;
    signal qmp <== q * (markSel - p);

    // 7. Buyer, then seller.
    component side[2];
    side[0] = TradeSide(A, I, S, D, 0);
    side[1] = TradeSide(A, I, S, D, 1);
    for (var j = 0; j < 2; j++) {
        side[j].active <== active;
        side[j].q <== q;
        side[j].p <== p;
        side[j].qp <== qp;
        side[j].qmp <== qmp;
        side[j].fee <== fee;
        side[j].sel <== sel;
        side[j].selQ <== selQ;
        side[j].instrument <== instrument;
        side[j].shockSelI <== shockSelI;
        side[j].shockSelM <== shockSelM;
        side[j].priceWeight <== priceWeight;
        side[j].mark <== mark;
        side[j].shockI <== shockI;
        side[j].shockM <== shockM;
        side[j].batchTime <== batchTime;
        side[j].account <== account[j];
        side[j].salt <== salt[j];
        side[j].balance <== balance[j];
        side[j].size <== size[j];
        side[j].costTotal <== costTotal[j];
        side[j].nonce <== nonce[j];
        side[j].Ax <== Ax[j];
        side[j].Ay <== Ay[j];
        side[j].index <== index[j];
        side[j].sibling <== sibling[j];
        side[j].orderSize <== orderSize[j];
        side[j].limit <== limit[j];
        side[j].expiry <== expiry[j];
        side[j].R8x <== R8x[j];
        side[j].R8y <== R8y[j];
        side[j].sigS <== sigS[j];
    }
    side[0].liq <== liqBuyer;
    side[1].liq <== liqSeller;
    side[0].enabled <== active - liqBuyer;
    side[1].enabled <== active - liqSeller;
    side[0].rootIn <== rootIn;
    side[1].rootIn <== side[0].rootOut;
    rootOut <== side[1].rootOut;

    // 8. The trade's hash.
    component h = Poseidon(5);
    h.inputs[0] <== kind;
    h.inputs[1] <== side[0].message;
    h.inputs[2] <== side[1].message;
    h.inputs[3] <== q;
    h.inputs[4] <== p;
    tradeHash <== h.out;
}
