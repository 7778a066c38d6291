pragma circom 2.1.6;

/*
 * Exact integer arithmetic in the field.
 *
 * A product or sum of field elements equals the integer product or sum as long
 * as the integer result stays in (-r/2, r/2). These templates do not check that
 * themselves: each states the bound its caller must have established with range
 * checks (circuits/lib/range.circom) and documented in its own header.
 */

/*
 * DotProduct(n)
 *
 * Inputs:      a[n], b[n]
 * Outputs:     out = sum_i a[i] * b[i]
 * Parameters:  n >= 1
 * Proves:      out equals the field dot product.
 * Assumes:     the caller has bounded abs(a[i]) <= Ma and abs(b[i]) <= Mb (as
 *              integers, signed values encoded as r + x) with n * Ma * Mb < r/2;
 *              then out is the exact integer dot product.
 * Cost:        n constraints (one product each; the sum is linear).
 */
template DotProduct(n) {
    assert(n >= 1);
    signal input a[n];
    signal input b[n];
    signal output out;

    // 1. One quadratic constraint per term.
    signal term[n];
    var acc = 0;
    for (var i = 0; i < n; i++) {
        term[i] <== a[i] * b[i];
        acc += term[i];
    }
    // 2. The sum (linear).
    out <== acc;
}

/*
 * MaxWithZero(n, bits)
 *
 * Inputs:      x[n]     signed values, negative x encoded as r + x
 * Outputs:     out = max(0, max_i x[i])
 * Parameters:  n >= 1; bits with 1 <= bits <= 251
 * Proves:      out >= 0, out >= x[i] for every i, and out is 0 or one of the
 *              x[i]: together, out is exactly max(0, max_i x[i]).
 * Assumes:     abs(x[i]) < 2^bits as integers (the caller's bound argument).
 *              Then out - x[i] is an integer in (-2^(bits+1), 2^(bits+1)), far
 *              from r, so its field value lies in [0, 2^(bits+1)) exactly when
 *              the integer is non-negative; and a product of such differences is
 *              zero in the field exactly when one integer difference is zero.
 * Cost:        bits + n (bits + 2) constraints.
 */
template MaxWithZero(n, bits) {
    assert(n >= 1 && bits >= 1 && bits <= 251);
    signal input x[n];
    signal output out;

    // 1. The maximum, computed as a hint (vars compare as signed integers) ...
    var best = 0;
    for (var i = 0; i < n; i++) {
        if (x[i] > best) {
            best = x[i];
        }
    }
    out <-- best;

    // 2. ... pinned: out >= 0 (and out < 2^bits),
    component nonNegative = Bits(bits);
    nonNegative.in <== out;

    // 3. out >= x[i] for every i,
    component above[n];
    for (var i = 0; i < n; i++) {
        above[i] = Bits(bits + 1);
        above[i].in <== out - x[i];
    }

    // 4. and out is 0 or equal to some x[i]: out * prod_i (out - x[i]) == 0.
    signal chain[n + 1];
    chain[0] <== out;
    for (var i = 0; i < n; i++) {
        chain[i + 1] <== chain[i] * (out - x[i]);
    }
    chain[n] === 0;
}
