pragma circom 2.1.6;

/*
 * CubeChain(N): a circuit of adjustable size for the ceremony tests.
 *
 * Inputs:      x              private field element
 * Outputs:     y = x^(3^N)    public, by N chained cubes
 * Parameters:  N              number of cubes (two quadratic constraints each)
 * Proves:      the prover knows x with x^(3^N) = y. 2N constraints, one public signal.
 * Assumes:     nothing: the powers are taken in the field.
 */
template CubeChain(N) {
    signal input x;
    signal output y;

    // 1. cube[i + 1] = cube[i]^3, as a square then a product.
    signal cube[N + 1];
    signal square[N];
    cube[0] <== x;
    for (var i = 0; i < N; i++) {
        square[i] <== cube[i] * cube[i];
        cube[i + 1] <== square[i] * cube[i];
    }
    y <== cube[N];
}
