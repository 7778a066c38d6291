pragma circom 2.1.6;

include "../lib/range.circom";
include "../lib/margin.circom";
include "../lib/leaf.circom";
include "../lib/merkle.circom";
include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/eddsaposeidon.circom";

/*
 * orderTag(): int.from_bytes(b"zksolvency/order/v1", "big"), the first input of
 * every order message (zksolvency.orders.order.ORDER_TAG).
 */
function orderTag() {
    return 2730051209395107230970519806463521782053697073;
}

/*
 * TradeSide(A, I, S, D, SIDE)
 *
 * One side of one trade: the account's leaf update, its order, its margin.
 *
 * Inputs:      active        1 for a matched trade or a liquidation, 0 for padding
 *              enabled       1 when this side signed an order (active and not liquidated)
 *              liq           1 when this side is the liquidated account (never with enabled)
 *              q, p          the trade's size (0 <= q < 2^64) and price (abs(p) < 2^64)
 *              qp            q * p
 *              qmp           q * (markSel - p)
 *              fee           the fee both sides pay (0 <= fee < 2^129, proven by Trade)
 *              sel[I]        the one-hot instrument selector (all 0 when not active)
 *              selQ[I]       sel[i] * q
 *              instrument    name element of the selected instrument
 *              shockSelI[S], shockSelM[S]   the selected instrument's initial and
 *                            maintenance shocks
 *              priceWeight[A], mark[I], shockI[I][S], shockM[I][S]  the market
 *              batchTime     the batch's time (unix seconds, 0 <= batchTime < 2^64)
 *              rootIn        the state root before this side's update
 *              the account (private): account (name element), salt, balance[A],
 *              size[I], costTotal, nonce, Ax, Ay; its slot index and sibling[D]
 *              the order (private, ignored unless enabled): orderSize, limit, expiry,
 *              and its signature R8x, R8y, sigS
 * Outputs:     rootOut       the root after the update (rootIn when not active)
 *              message       the order message M times enabled (0 for no order)
 * Parameters:  A, I, S >= 1; D the state depth; SIDE 0 for the buyer (size += q,
 *              cost += q p + fee), 1 for the seller (size -= q, cost += -q p + fee)
 * Proves:      when active: the old state leaf
 *                  Poseidon(AccountLeaf(Poseidon(account, salt), costTotal, balance,
 *                  size), nonce, Ax, Ay)
 *              lies at index under rootIn, and rootOut is the root with the new leaf
 *              (size, costTotal updated as above, nonce + enabled) at the same index;
 *              when enabled: M = Poseidon(orderTag, account, instrument, SIDE,
 *              orderSize, limit, nonce, expiry) -- so the order's nonce is the leaf's,
 *              and the order names this account and the traded instrument -- carries a
 *              valid EdDSA-Poseidon signature under (Ax, Ay); the price is within the
 *              limit (buyer p <= limit, seller p >= limit); q <= orderSize;
 *              expiry > batchTime;
 *              always: AccountRule holds for the new values (all in range, no
 *              wrap-around) with the initial shocks, or the maintenance shocks when liq,
 *              and with v = W * (one old loss, or 0) <= the old requirement:
 *                not liq:  equity >= requirement  OR  requirement <= v
 *                          (the trade leaves the account within initial margin, or
 *                          does not raise its initial requirement);
 *                liq:      requirement <= v  AND  equityOld < v
 *                          (below maintenance before, maintenance requirement not
 *                          raised after).
 *              When not active the state does not move (rootOut = rootIn) whatever the
 *              other inputs are: padding is inert.
 * Assumes:     the market's ranges (AccountRule); q, p, fee bounds proven by Trade;
 *              active, enabled, liq boolean with enabled + liq <= active (Trade).
 *
 * Old values without a second rule: the sizes change only at the selected
 * instrument k, by SGN q (SGN = 1 - 2 SIDE), and the cost total by SGN q p + fee,
 * so (exact integers)
 *   loss_old[s]  = loss_new[s] + SGN q shock[k][s]
 *   equity_old   = equity_new - W (SGN q (mark[k] - p) - fee).
 * The new sizes are range-checked by AccountRule and the old size at k by step 1b, so
 * every old and new value of the leaves is in the spec's range (AccountLeaf's packing is
 * injective for both) and abs(loss_old[s]) <= I (2^64 - 1)^2.
 *
 * Bound argument: with M = 2^64 - 1 and CB = bitLength(I (2^128 - 1)), every value
 * range-checked in step 9 is, when honest and non-negative, at most
 * W ((A + 2 I + 8) M^2 + 2^CB) < 2^CK (AccountRule's bounds on equity and
 * requirement, the loss bound above, abs(q (mark - p)), fee < 2^129); all are
 * below 2^160 in absolute value, far below r/2, so a negative integer never has a
 * CK-bit decomposition.
 */
template TradeSide(A, I, S, D, SIDE) {
    assert(SIDE == 0 || SIDE == 1);
    var SGN = 1 - 2 * SIDE;
    var W = 10000;
    var M64 = (1 << 64) - 1;
    var CB = bitLength(I * ((1 << 128) - 1));
    var CK = bitLength(W * ((A + 2 * I + 8) * M64 * M64 + (1 << CB)));

    signal input active;
    signal input enabled;
    signal input liq;
    signal input q;
    signal input p;
    signal input qp;
    signal input qmp;
    signal input fee;
    signal input sel[I];
    signal input selQ[I];
    signal input instrument;
    signal input shockSelI[S];
    signal input shockSelM[S];
    signal input priceWeight[A];
    signal input mark[I];
    signal input shockI[I][S];
    signal input shockM[I][S];
    signal input batchTime;
    signal input rootIn;

    signal input account;
    signal input salt;
    signal input balance[A];
    signal input size[I];
    signal input costTotal;
    signal input nonce;
    signal input Ax;
    signal input Ay;
    signal input index;
    signal input sibling[D];

    signal input orderSize;
    signal input limit;
    signal input expiry;
    signal input R8x;
    signal input R8y;
    signal input sigS;

    signal output rootOut;
    signal output message;

    // 1. The new values: size[k] += SGN q, cost += SGN q p + fee, nonce += enabled.
    signal newSize[I];
    for (var i = 0; i < I; i++) {
        newSize[i] <== size[i] + SGN * selQ[i];
    }
    signal newCost <== costTotal + SGN * qp + fee;
    signal newNonce <== nonce + enabled;

    // 1b. The old size of the traded instrument is in range too: every other old size
    //     equals its new value, which AccountRule range-checks, so the old leaf's packing
    //     is injective (no old value aliasing another through a digit carry).
    signal oldTerm[I];
    var oldSel = 0;
    for (var i = 0; i < I; i++) {
        oldTerm[i] <== sel[i] * size[i];
        oldSel += oldTerm[i];
    }
    component oldRange = SignedRange(64);
    oldRange.in <== oldSel;

    // 2. The id commitment binds the account's name (the order's account field).
    component commitment = Poseidon(2);
    commitment.inputs[0] <== account;
    commitment.inputs[1] <== salt;

    // 3. Old and new state leaves.
    component oldAccount = AccountLeaf(A, I);
    component newAccount = AccountLeaf(A, I);
    oldAccount.idCommitment <== commitment.out;
    newAccount.idCommitment <== commitment.out;
    oldAccount.costTotal <== costTotal;
    newAccount.costTotal <== newCost;
    oldAccount.balance <== balance;
    newAccount.balance <== balance;
    oldAccount.size <== size;
    newAccount.size <== newSize;
    component oldLeaf = Poseidon(4);
    oldLeaf.inputs[0] <== oldAccount.out;
    oldLeaf.inputs[1] <== nonce;
    oldLeaf.inputs[2] <== Ax;
    oldLeaf.inputs[3] <== Ay;
    component newLeaf = Poseidon(4);
    newLeaf.inputs[0] <== newAccount.out;
    newLeaf.inputs[1] <== newNonce;
    newLeaf.inputs[2] <== Ax;
    newLeaf.inputs[3] <== Ay;

    // 4. The root transition: old leaf under rootIn, new root over the same siblings.
    component path = MerkleUpdate(D);
    path.oldLeaf <== oldLeaf.out;
    path.newLeaf <== newLeaf.out;
    path.index <== index;
    path.sibling <== sibling;
    active * (path.oldRoot - rootIn) === 0;
    rootOut <== rootIn + active * (path.newRoot - rootIn);

    // 5. The order message and its signature (checked when enabled).
    component order = Poseidon(8);
    order.inputs[0] <== orderTag();
    order.inputs[1] <== account;
    order.inputs[2] <== instrument;
    order.inputs[3] <== SIDE;
    order.inputs[4] <== orderSize;
    order.inputs[5] <== limit;
    order.inputs[6] <== nonce;
    order.inputs[7] <== expiry;
    message <== order.out * enabled;
    component signature = EdDSAPoseidonVerifier();
    signature.enabled <== enabled;
    signature.Ax <== Ax;
    signature.Ay <== Ay;
    signature.S <== sigS;
    signature.R8x <== R8x;
    signature.R8y <== R8y;
    signature.M <== order.out;

    // 6. The order's limits (when enabled): price within the limit (abs < 2^65
    //    differences of in-range values), q <= orderSize, expiry > batchTime.
    component limitGap = UnsignedRange(65);
    limitGap.in <== enabled * (SGN * (limit - p));
    component sizeGap = UnsignedRange(64);
    sizeGap.in <== enabled * (orderSize - q);
    component expiryGap = UnsignedRange(64);
    expiryGap.in <== enabled * (expiry - batchTime - 1);

    // 7. The rule on the new values, with this side's shocks (maintenance when liq).
    component rule = AccountRule(A, I, S);
    rule.balance <== balance;
    rule.size <== newSize;
    rule.costTotal <== newCost;
    rule.priceWeight <== priceWeight;
    rule.mark <== mark;
    for (var i = 0; i < I; i++) {
        for (var s = 0; s < S; s++) {
            rule.shock[i][s] <== shockI[i][s] + liq * (shockM[i][s] - shockI[i][s]);
        }
    }

    // 8. v = W * (one old loss, or 0): a lower bound of the old requirement. The
    //    choice is a hint (the worst old scenario), pinned to one-hot below.
    signal shockSel[S];
    signal moved[S];
    signal lossOld[S];
    for (var s = 0; s < S; s++) {
        shockSel[s] <== shockSelI[s] + liq * (shockSelM[s] - shockSelI[s]);
        moved[s] <== q * shockSel[s];
        lossOld[s] <== rule.loss[s] + SGN * moved[s];
    }
    var best = 0;
    var worst = S;
    for (var s = 0; s < S; s++) {
        if (lossOld[s] > best) {
            best = lossOld[s];
            worst = s;
        }
    }
    signal choice[S + 1];
    var chosen = 0;
    for (var s = 0; s <= S; s++) {
        choice[s] <-- s == worst ? 1 : 0;
        choice[s] * (choice[s] - 1) === 0;
        chosen += choice[s];
    }
    chosen === 1;
    signal picked[S];
    var pickedSum = 0;
    for (var s = 0; s < S; s++) {
        picked[s] <== choice[s] * lossOld[s];
        pickedSum += picked[s];
    }
    signal v <== W * pickedSum;

    // 9. The conditions. f (hint) says which alternative holds for a side that is not
    //    liquidated; f is pinned boolean and 0 when liq.
    signal f;
    f <-- (liq == 0 && rule.equity - rule.requirement >= 0) ? 1 : 0;
    f * (f - 1) === 0;
    f * liq === 0;
    //    f = 1: equity - requirement >= 0; f = 0: v - requirement >= 0.
    signal solventGap <== f * (rule.equity - v);
    component within = UnsignedRange(CK);
    within.in <== solventGap + v - rule.requirement;
    //    liq: v > equityOld, i.e. v - equityOld - 1 >= 0.
    signal equityOld <== rule.equity - W * (SGN * qmp - fee);
    component underwater = UnsignedRange(CK);
    underwater.in <== liq * (v - equityOld - 1);
}
