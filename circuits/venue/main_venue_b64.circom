pragma circom 2.1.6;

// Venue size: I = 2048 instruments, A = 64 assets, S = 16 scenarios, K = 32 position slots,
// C = 8 balance slots, B = 64 accounts. The market table, its hash and the round are public.
// Not yet listed in circuits/manifest.json (rounds do not use the venue circuit yet).
include "batch.circom";

component main {public [price, weight, mark, shock, marketHash, roundId]} = VenueBatchMain(2048, 64, 16, 32, 8, 64);
