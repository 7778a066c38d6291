pragma circom 2.1.6;

include "circomlib/circuits/poseidon.circom";

/*
 * PoseidonAll()  -- test circuit for tests/circuits/test_poseidon_python.py
 *
 * Inputs:      in[136]  field elements: the inputs of Poseidon(1), then of
 *                       Poseidon(2), ..., then of Poseidon(16) (1 + 2 + ... + 16 = 136)
 * Outputs:     out[16]  out[k] = circomlib's Poseidon(k + 1) of its slice of in
 * Parameters:  none
 * Proves:      nothing beyond the hashes; it exists so that the Python Poseidon
 *              can be compared with circomlib's for every supported width.
 * Assumes:     nothing.
 */
template PoseidonAll() {
    signal input in[136];
    signal output out[16];

    component h[16];
    var offset = 0;
    for (var k = 0; k < 16; k++) {
        h[k] = Poseidon(k + 1);
        for (var i = 0; i <= k; i++) {
            h[k].inputs[i] <== in[offset + i];
        }
        offset += k + 1;
        out[k] <== h[k].out;
    }
}

component main = PoseidonAll();
