pragma circom 2.1.6;

/*
 * Lookup arguments (logUp, with multiplicities and weights) and their helpers.
 *
 * The logarithmic-derivative lookup: a multiset of reads {v_k} with weights w_k is
 * contained in a table {t_j} with multiplicities m_j, as
 *
 *     sum_k w_k / (X - v_k)  ==  sum_j m_j / (X - t_j)          (rational functions in X)
 *
 * exactly when, for every field element u, sum_{k: v_k = u} w_k equals m_j for the row
 * t_j = u (rows distinct) and 0 when no row is u. The circuit checks the identity at
 * one point X = alpha. With unit weights w_k = 1 this is the usual "every read is a
 * row, and row j is read m_j times" (for counts below the field characteristic).
 *
 * HOW THE CHALLENGE MUST BE MADE (the templates below take alpha as an input and
 * cannot check this themselves):
 *   alpha must be a hash (Fiat-Shamir, Poseidon) of binding commitments to the table
 *   AND to every v_k, w_k and m_j, computed after all of them are fixed, e.g.
 *   alpha = Poseidon(marketHash, batchCommitment) with the table fixed by the market
 *   hash and every read, weight and multiplicity fixed by the batch commitment
 *   (circuits/venue/batch.circom derives it in circuit; an auditor recomputing it
 *   outside is equally good). If any of them is a witness value the commitments do
 *   not fix, the prover chooses it after seeing alpha and the check proves nothing:
 *   with one free value it solves the equation for it; with many small free values
 *   (range-checked reads) a generalised-birthday search finds a solution. See
 *   docs/margin.md, "The lookup's soundness".
 *
 * Error: if the two sides differ as rational functions, clearing the (at most N + T
 * distinct) denominators leaves a non-zero polynomial of degree below N + T, so a
 * uniformly random alpha is one of its roots with probability below (N + T) / r
 * (r about 2^253.6); alpha hitting one of the N + T committed values (next paragraph)
 * adds at most (N + T) / r: 2 (N + T) / r in all, below 2^-230 at any size here.
 *
 * alpha - v = 0: the fraction 1/(alpha - v) does not exist. The templates pin each
 * fraction f by f * (alpha - v) === w: with w != 0 no f satisfies it, the witness
 * does not exist and no proof is made (the honest prover retries nothing: alpha is
 * fixed by the commitments; the operator changes a salt and commits again). With
 * w = 0 the constraint leaves f free when alpha = v; alpha equals one of the N + T
 * committed values with probability at most (N + T) / r, the same bound as above.
 */

/*
 * Powers(n)
 *
 * Inputs:      x
 * Outputs:     out[n]   out[j] = x^j (out[0] = 1)
 * Parameters:  n >= 1
 * Proves:      the powers of x.
 * Assumes:     nothing.
 * Cost:        max(0, n - 2) constraints (out[0] is constant, out[1] = x).
 */
template Powers(n) {
    assert(n >= 1);
    signal input x;
    signal output out[n];

    // 1. out[0] = 1, out[j] = out[j - 1] * x.
    out[0] <== 1;
    if (n > 1) {
        out[1] <== x;
    }
    for (var j = 2; j < n; j++) {
        out[j] <== out[j - 1] * x;
    }
}

/*
 * Compress(n)
 *
 * Inputs:      in[n]         a tuple of field elements
 *              gammaPow[n]   Powers(n) of the compression challenge gamma
 * Outputs:     out = sum_j gamma^j in[j]
 * Parameters:  n >= 1
 * Proves:      out is the random linear combination of the tuple.
 * Assumes:     gamma is derived (Fiat-Shamir) after every compressed tuple, table
 *              rows and reads alike, is fixed by a commitment; then two different
 *              tuples compress to the same value with probability at most
 *              (n - 1) / r (a non-zero polynomial of degree n - 1 in gamma).
 * Cost:        n - 1 constraints (in[0] gammaPow[0] = in[0] is linear).
 */
template Compress(n) {
    assert(n >= 1);
    signal input in[n];
    signal input gammaPow[n];
    signal output out;

    // 1. One product per component after the first.
    signal term[n];
    var acc = in[0];
    term[0] <== in[0];
    for (var j = 1; j < n; j++) {
        term[j] <== gammaPow[j] * in[j];
        acc += term[j];
    }
    out <== acc;
}

/*
 * Fraction()
 *
 * Inputs:      alpha, value, weight
 * Outputs:     out = weight / (alpha - value)
 * Proves:      out * (alpha - value) == weight. When weight != 0 this pins
 *              out = weight / (alpha - value) and proves alpha != value (else no
 *              witness exists); when weight = 0 it pins out = 0 unless
 *              alpha = value (see the file header for that probability).
 * Assumes:     nothing beyond the file header's rule on how alpha is made.
 * Cost:        1 constraint.
 */
template Fraction() {
    signal input alpha;
    signal input value;
    signal input weight;
    signal output out;

    // 1. The quotient is a hint ...
    out <-- weight / (alpha - value);
    // 2. ... pinned by one constraint.
    out * (alpha - value) === weight;
}

/*
 * LogUp(N, T)
 *
 * Inputs:      alpha          the challenge (see the file header)
 *              read[N]        the read values (compressed tuples, or plain indexes)
 *              weight[N]      the weight of each read (1 for a plain read, 0 for an
 *                             inert one, any field element for a weighted read)
 *              row[T]         the table's values, distinct
 *              mult[T]        the multiplicity (or weight sum) of each row
 * Outputs:     readSum, rowSum (equal; exposed so that a test can read them)
 * Parameters:  N >= 1 reads, T >= 1 rows
 * Proves:      sum_k weight[k] / (alpha - read[k]) == sum_j mult[j] / (alpha - row[j]),
 *              every fraction with a non-zero numerator well defined.
 * Assumes:     alpha is a Fiat-Shamir hash of commitments fixing row, read, weight
 *              and mult (file header). Then the identity holds as rational
 *              functions except with probability at most 2 (N + T) / r, i.e. for
 *              every value u: sum of the weights of the reads equal to u is mult[j]
 *              if row[j] = u, and 0 if u is no row.
 * Cost:        N + T constraints.
 */
template LogUp(N, T) {
    assert(N >= 1 && T >= 1);
    signal input alpha;
    signal input read[N];
    signal input weight[N];
    signal input row[T];
    signal input mult[T];
    signal output readSum;
    signal output rowSum;

    // 1. One fraction per read ...
    component readFraction[N];
    var readAcc = 0;
    for (var k = 0; k < N; k++) {
        readFraction[k] = Fraction();
        readFraction[k].alpha <== alpha;
        readFraction[k].value <== read[k];
        readFraction[k].weight <== weight[k];
        readAcc += readFraction[k].out;
    }

    // 2. ... one per row ...
    component rowFraction[T];
    var rowAcc = 0;
    for (var j = 0; j < T; j++) {
        rowFraction[j] = Fraction();
        rowFraction[j].alpha <== alpha;
        rowFraction[j].value <== row[j];
        rowFraction[j].weight <== mult[j];
        rowAcc += rowFraction[j].out;
    }

    // 3. ... and the two sums agree.
    readSum <== readAcc;
    rowSum <== rowAcc;
    readSum === rowSum;
}
