pragma circom 2.1.6;

include "circomlib/circuits/poseidon.circom";

/*
 * IdCommitment()
 *
 * Inputs:      id     the account id as one field element:
 *                     len(utf8) * 2^248 + int.from_bytes(utf8, "big") (ids are 1..31 bytes)
 *              salt   a secret random field element, one per account and round
 * Outputs:     out = Poseidon(id, salt)
 * Proves:      nothing beyond the hash; not part of any proof. The witness builder
 *              runs this circuit's witness calculator to compute commitments with
 *              exactly circomlib's Poseidon (no second implementation to drift).
 */
template IdCommitment() {
    signal input id;
    signal input salt;
    signal output out;

    // 1. The commitment.
    component h = Poseidon(2);
    h.inputs[0] <== id;
    h.inputs[1] <== salt;
    out <== h.out;
}

component main = IdCommitment();
