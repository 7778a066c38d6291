pragma circom 2.1.6;

// Test size: I = 8 instruments, A = 4 assets, S = 4 scenarios, K = 3 position slots,
// C = 2 balance slots, B = 4 accounts. The market table, its hash and the round are public.
// (circuits/venue/main_venue_b16.circom and main_venue_b64.circom: the venue size.)
include "batch.circom";

component main {public [price, weight, mark, shock, marketHash, roundId]} = VenueBatchMain(8, 4, 4, 3, 2, 4);
