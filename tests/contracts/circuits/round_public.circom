pragma circom 2.1.6;

include "circomlib/circuits/poseidon.circom";

// RoundPublic: stands in for the root circuit in the contract tests.
//
// Inputs (private): globalRoot, totalsHash, marketHash, roundId -- field elements.
// Output (public):  commitment = Poseidon(globalRoot, totalsHash, marketHash, roundId),
//                   circomlib's Poseidon with 4 inputs (t = 5).
// Proves: knowledge of four values whose Poseidon hash is the public commitment;
//         exactly the shape of the root circuit's single public input, which
//         SolvencyRegistry recomputes on chain from the round's public values.
// Assumptions: none beyond circomlib's Poseidon (no range checks: any field element is fine).
template RoundPublic() {
    signal input globalRoot;
    signal input totalsHash;
    signal input marketHash;
    signal input roundId;
    signal output commitment;

    // Step 1: hash the four round values in the order the registry uses.
    component h = Poseidon(4);
    h.inputs[0] <== globalRoot;
    h.inputs[1] <== totalsHash;
    h.inputs[2] <== marketHash;
    h.inputs[3] <== roundId;
    commitment <== h.out;
}

component main = RoundPublic();
