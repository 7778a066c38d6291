pragma circom 2.1.6;

include "../lib/margin.circom";

/*
 * AccountMargin(A, I, S)
 *
 * Inputs:      balance[A], size[I], costTotal, priceWeight[A], mark[I], shock[I][S]
 *              exactly as AccountRule (circuits/lib/margin.circom)
 * Outputs:     equity, requirement     AccountRule's
 * Parameters:  A assets, I instruments, S scenarios (all >= 1)
 * Proves:      what AccountRule proves (ranges, the rule's integers), and
 *              equity >= requirement. An insolvent account has NO satisfying
 *              witness: this template refuses it.
 * Assumes:     the market values lie in the spec's ranges (see AccountRule).
 *
 * Bound argument: AccountRule's. With CB = bitLength(I (2^128 - 1)),
 *   abs(equity - requirement) <= A (2^64-1)^2 10^4 + (2 I (2^64-1)^2 + 2^CB) 10^4;
 *   when non-negative it is at most equity <= (A (2^64-1)^2 + I (2^64-1)^2 + 2^CB) 10^4 < 2^EB,
 * far below r/2, so the EB-bit decomposition below exists exactly when the integer
 * equity - requirement is >= 0.
 */
template AccountMargin(A, I, S) {
    assert(A >= 1 && I >= 1 && S >= 1);
    var W = 10000;
    var M64 = (1 << 64) - 1;
    var M128 = (1 << 128) - 1;
    var CB = bitLength(I * M128);
    var EB = bitLength(A * M64 * M64 * W + (I * M64 * M64 + (1 << CB)) * W);

    signal input balance[A];
    signal input size[I];
    signal input costTotal;
    signal input priceWeight[A];
    signal input mark[I];
    signal input shock[I][S];
    signal output equity;
    signal output requirement;

    // 1.-6. The rule (ranges, equity, requirement).
    component rule = AccountRule(A, I, S);
    rule.balance <== balance;
    rule.size <== size;
    rule.costTotal <== costTotal;
    rule.priceWeight <== priceWeight;
    rule.mark <== mark;
    rule.shock <== shock;
    equity <== rule.equity;
    requirement <== rule.requirement;

    // 7. Solvent: equity - requirement >= 0 (an exact integer far below r/2 in absolute
    //    value, see above, so its EB-bit decomposition exists exactly when it is >= 0).
    component solvent = UnsignedRange(EB);
    solvent.in <== equity - requirement;
}
