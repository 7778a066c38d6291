pragma circom 2.1.6;

include "../../../circuits/lib/hash.circom";

/*
 * HashVectorAll()  -- test circuit for tests/circuits/test_poseidon_python.py
 *
 * Inputs:      in[102]  field elements: the vectors of lengths 1, 16, 17, 31 and 37,
 *                       one after the other (1 + 16 + 17 + 31 + 37 = 102)
 * Outputs:     out[5]   out[k] = HashVector(n_k) of the k-th vector
 * Parameters:  none
 * Proves:      nothing beyond the hashes; it exists so that the Python hash_vector
 *              can be compared with circuits/lib/hash.circom at and around the
 *              16-input boundary and for several chained calls.
 * Assumes:     nothing.
 */
template HashVectorAll() {
    var SIZES[5] = [1, 16, 17, 31, 37];
    signal input in[102];
    signal output out[5];

    component h[5];
    var offset = 0;
    for (var k = 0; k < 5; k++) {
        h[k] = HashVector(SIZES[k]);
        for (var i = 0; i < SIZES[k]; i++) {
            h[k].in[i] <== in[offset + i];
        }
        offset += SIZES[k];
        out[k] <== h[k].out;
    }
}

component main = HashVectorAll();
