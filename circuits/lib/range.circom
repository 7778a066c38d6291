pragma circom 2.1.6;

/*
 * Range checks (our own templates; nothing here compares raw field elements).
 *
 * Every check below turns a claim "the integer x lies in [lo, hi)" into a bit
 * decomposition of a shifted value. A bit decomposition into n bits proves
 * 0 <= v < 2^n for the field element v only while 2^n < r, so every template
 * asserts n <= 252 (r is about 2^253.6).
 */

/*
 * bitLength(x): the number of bits of the non-negative integer x (0 for 0).
 * Compile-time helper used to size range checks from value bounds; x must be
 * below r/2 (circom compares vars as signed field elements).
 */
function bitLength(x) {
    var n = 0;
    var y = x;
    while (y > 0) {
        n++;
        y = y \ 2;
    }
    return n;
}

/*
 * Bits(n)
 *
 * Inputs:      in       the value to decompose
 * Outputs:     out[n]   its bits, least significant first
 * Parameters:  n        1 <= n <= 252
 * Proves:      every out[i] is 0 or 1 and in == sum out[i] 2^i, hence the field
 *              element in is an integer with 0 <= in < 2^n.
 * Assumes:     nothing (2^n < r is asserted, so the sum cannot wrap).
 * Cost:        n constraints (the recomposition is linear and folded by --O2).
 */
template Bits(n) {
    assert(n >= 1 && n <= 252);
    signal input in;
    signal output out[n];

    var acc = 0;
    var e = 1;
    for (var i = 0; i < n; i++) {
        // 1. Each bit is a hint ...
        out[i] <-- (in >> i) & 1;
        // 2. ... pinned to {0, 1}.
        out[i] * (out[i] - 1) === 0;
        acc += out[i] * e;
        e = e + e;
    }
    // 3. The bits recompose to in (pins all the hints of step 1 together).
    acc === in;
}

/*
 * UnsignedRange(n)
 *
 * Inputs:      in
 * Parameters:  n, 1 <= n <= 252
 * Proves:      0 <= in < 2^n (as an integer).
 * Assumes:     nothing.
 * Cost:        n constraints.
 */
template UnsignedRange(n) {
    signal input in;
    // 1. in is an n-bit integer.
    component bits = Bits(n);
    bits.in <== in;
}

/*
 * SignedRange(n)
 *
 * Inputs:      in       a signed value, negative x encoded as r + x
 * Outputs:     shifted  in + 2^n, a non-negative integer in [1, 2^(n+1))
 * Parameters:  n, 1 <= n <= 251
 * Proves:      -2^n < in < 2^n, i.e. abs(in) < 2^n exactly as the spec writes
 *              its bounds (abs(size) < 2^64, abs(cost) < 2^128).
 * Assumes:     nothing.
 * Method:      in + 2^n is range-checked into n+1 bits, which gives
 *              -2^n <= in < 2^n; the one extra value -2^n is excluded by proving
 *              in + 2^n != 0 with an inverse.
 * Cost:        n + 2 constraints.
 */
template SignedRange(n) {
    assert(n >= 1 && n <= 251);
    signal input in;
    signal output shifted;

    // 1. shifted = in + 2^n lies in [0, 2^(n+1)).
    shifted <== in + (1 << n);
    component bits = Bits(n + 1);
    bits.in <== shifted;

    // 2. shifted != 0, so in != -2^n.
    signal inverse;
    inverse <-- shifted != 0 ? 1 / shifted : 0;
    shifted * inverse === 1;
}
