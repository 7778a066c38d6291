pragma circom 2.1.6;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";

// GateStub: stands in for the trade batch circuit in the SettlementGate tests.
//
// Inputs (private): oldRoot, newRoot, snapshotHash, tradesCommitment -- field elements;
//                   batchId < 2^64, batchTime < 2^64, feeBps <= 10000.
// Outputs (public, in this order):
//   commitment = Poseidon(oldRoot, newRoot, snapshotHash, tradesCommitment)  (circomlib, t = 5)
//   header     = batchId * 2^80 + batchTime * 2^16 + feeBps
// Proves: knowledge of values with these two public signals, the header's parts in range
//         (so the header is injective: the three parts cannot overlap or wrap around r);
//         exactly the public shape of the trade batch circuit, which SettlementGate
//         recomputes on chain. Proves nothing about trades.
// Assumptions: none beyond circomlib's Poseidon, Num2Bits and LessEqThan.
template GateStub() {
    signal input oldRoot;
    signal input newRoot;
    signal input snapshotHash;
    signal input tradesCommitment;
    signal input batchId;
    signal input batchTime;
    signal input feeBps;
    signal output commitment;
    signal output header;

    // Step 1: the commitment, in the gate's order.
    component h = Poseidon(4);
    h.inputs[0] <== oldRoot;
    h.inputs[1] <== newRoot;
    h.inputs[2] <== snapshotHash;
    h.inputs[3] <== tradesCommitment;
    commitment <== h.out;

    // Step 2: range checks where the header's packing assumes them.
    component idBits = Num2Bits(64);
    idBits.in <== batchId;
    component timeBits = Num2Bits(64);
    timeBits.in <== batchTime;
    component feeBits = Num2Bits(14);
    feeBits.in <== feeBps;
    component feeMax = LessEqThan(14);
    feeMax.in[0] <== feeBps;
    feeMax.in[1] <== 10000;
    feeMax.out === 1;

    // Step 3: the header (below 2^144 < r by step 2).
    header <== batchId * 2**80 + batchTime * 2**16 + feeBps;
}

component main = GateStub();
