pragma circom 2.1.6;

include "range.circom";
include "arith.circom";

/*
 * AccountRule(A, I, S)
 *
 * Inputs:      balance[A]       account, private: 0 <= balance < 2^64
 *              size[I]          account, private: abs(size) < 2^64 (negative as r + x)
 *              costTotal        account, private: sum_i cost[i], where abs(cost[i]) < 2^128
 *              priceWeight[A]   market: price[a] * weight[a] (computed once per batch)
 *              mark[I]          market
 *              shock[I][S]      market, instrument-major
 * Outputs:     equity           collateral + mark_value (units: quote minor units * 10^12)
 *              requirement      max(0, max_s(-pnl[s]))
 *              loss[S]          the unscaled losses: loss[s] = -sum_i size[i] shock[i][s]
 *                               (pnl[s] = -W loss[s]); a linear combination, free
 * Parameters:  A assets, I instruments, S scenarios (all >= 1)
 * Proves:      balances and sizes lie in the spec's ranges, abs(costTotal) < 2^CB
 *              (CB = bitLength(I (2^128 - 1)): what I in-range costs can sum to),
 *              equity and requirement are the integers of spec/MARGIN.md's rule.
 *              It does NOT compare them: AccountMargin (circuits/solvency/account.circom)
 *              adds the solvency check, the trade circuit (circuits/trades/) its own
 *              conditions. One rule, used by both families.
 * Assumes:     the market values lie in the spec's ranges (0 <= price < 2^64,
 *              0 <= weight <= 10^4, abs(mark), abs(shock) < 2^64). They are not
 *              range-checked here: the batch hashes every market value as its
 *              own field element into the one public input, and the auditor
 *              recomputes that hash from the published snapshot after validating
 *              it, so out-of-range market values are caught outside the circuit.
 *
 * Why one cost total: the rule uses the costs only through sum_i cost[i]
 * (mark_value = W (sum_i size[i] mark[i] - sum_i cost[i])). Taking the sum as
 * the input, range-checked once in CB + 2 = 134 bits at I = 16, replaces 16
 * range checks of 130 bits and gives exactly the same equity. The per-instrument
 * range abs(cost) < 2^128 is an input rule that zksolvency.model enforces before
 * any witness is built; the account holder's inclusion check recomputes the total
 * from their own positions.
 *
 * Bound argument (all integers; r is about 2^253.6):
 *   balance * priceWeight   <= (2^64-1)^2 10^4                     < 2^142
 *   collateral              <= A (2^64-1)^2 10^4
 *   size * mark             <  2^128,   abs(costTotal) < 2^CB
 *   abs(mark_value)         <= (I (2^64-1)^2 + 2^CB) 10^4
 *   loss[s] = -sum_i size[i] shock[i][s], abs(loss[s]) <= I (2^64-1)^2 < 2^LB
 *   abs(equity), requirement <= A (2^64-1)^2 10^4 + (2 I (2^64-1)^2 + 2^CB) 10^4
 * For any A, I below 2^60 all of these are below 2^220, so every field
 * operation below equals the integer operation, and every range check below
 * reads the sign of an exact integer; a caller comparing equity and
 * requirement may rely on these bounds.
 *
 * Saving (exact): the rule's pnl[s] is W * sum_i size[i] shock[i][s] with
 * W = 10^4. max(0, max_s(-pnl[s])) = W * max(0, max_s loss[s]) because W > 0,
 * so the maximum is taken over the unscaled losses, with 14 fewer bits per
 * comparison, and multiplied by W afterwards.
 */
template AccountRule(A, I, S) {
    assert(A >= 1 && I >= 1 && S >= 1);
    var W = 10000;
    var M64 = (1 << 64) - 1;
    var M128 = (1 << 128) - 1;
    // Bits of the largest unscaled loss, and of the largest cost total.
    var LB = bitLength(I * M64 * M64);
    var CB = bitLength(I * M128);

    signal input balance[A];
    signal input size[I];
    signal input costTotal;
    signal input priceWeight[A];
    signal input mark[I];
    signal input shock[I][S];
    signal output equity;
    signal output requirement;
    signal output loss[S];

    // 1. Range checks of the account's own values.
    component balanceRange[A];
    for (var a = 0; a < A; a++) {
        balanceRange[a] = UnsignedRange(64);
        balanceRange[a].in <== balance[a];
    }
    component sizeRange[I];
    for (var i = 0; i < I; i++) {
        sizeRange[i] = SignedRange(64);
        sizeRange[i].in <== size[i];
    }
    component costRange = SignedRange(CB);
    costRange.in <== costTotal;

    // 2. collateral = sum_a balance[a] * price[a] * weight[a].
    component collateral = DotProduct(A);
    for (var a = 0; a < A; a++) {
        collateral.a[a] <== balance[a];
        collateral.b[a] <== priceWeight[a];
    }

    // 3. mark_value = W * (sum_i size[i] * mark[i] - costTotal).
    component marked = DotProduct(I);
    for (var i = 0; i < I; i++) {
        marked.a[i] <== size[i];
        marked.b[i] <== mark[i];
    }

    // 4. equity = collateral + mark_value.
    equity <== collateral.out + W * (marked.out - costTotal);

    // 5. loss[s] = -sum_i size[i] * shock[i][s] (pnl[s] = -W loss[s]).
    component scenario[S];
    for (var s = 0; s < S; s++) {
        scenario[s] = DotProduct(I);
        for (var i = 0; i < I; i++) {
            scenario[s].a[i] <== size[i];
            scenario[s].b[i] <== shock[i][s];
        }
    }

    // 6. requirement = W * max(0, max_s loss[s]).
    component worst = MaxWithZero(S, LB);
    for (var s = 0; s < S; s++) {
        loss[s] <== -scenario[s].out;
        worst.x[s] <== loss[s];
    }
    requirement <== W * worst.out;
}
