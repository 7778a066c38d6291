"""Native prove time of one venue-size sparse batch (UNSAFE dev setup; timing only).

    .venv/bin/python benchmarks/venue_prove.py [--batch 4] [--size I A S K C]
                                               [--out benchmarks/results/venue_prove.md]

Compiles ``VenueBatchMain(I, A, S, K, C, B)`` (circom2 --O2), makes a random market of the
size (marks and shocks in the spec's ranges) and ``B`` random solvent accounts holding ``K``
positions and ``C`` balances each, generates an UNSAFE single-party dev ptau, runs the
native setup, then times the witness, the native prove and the verification. Writes the
times with the machine's core count.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import tempfile
import time
from pathlib import Path

from zksolvency.bn254 import R
from zksolvency.circuit.compile import compile_circuit
from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.circuit.formats.r1cs import read_r1cs
from zksolvency.circuit.venue_inputs import VenueEntry, VenueSize, venue_inputs
from zksolvency.circuit.witness import WitnessCalculator
from zksolvency.groth16.kernels import get_kernels
from zksolvency.groth16.prove import prove_with
from zksolvency.groth16.ptau_dev import generate_dev_ptau
from zksolvency.groth16.setup import setup
from zksolvency.groth16.verify import verify
from zksolvency.groth16.vkey import export_vkey
from zksolvency.model import Asset, Instrument, Market
from zksolvency.model.sparse import SparseAccount, evaluate_sparse

REPO = Path(__file__).resolve().parent.parent
BATCH = REPO / "circuits" / "venue" / "batch.circom"
VENUE = (2048, 64, 16, 32, 8)


def random_market(rng: random.Random, size: VenueSize) -> Market:
    """Marks and shocks up to 10^17 in absolute value; asset prices 10^8..10^12, weights >= 50%."""
    assets = tuple(
        Asset(f"A{a:04}", rng.randrange(10**8, 10**12), rng.randrange(5_000, 10_001))
        for a in range(size.assets)
    )
    instruments = tuple(
        Instrument(
            f"I{i:05}",
            rng.randrange(-(10**17), 10**17),
            tuple(rng.randrange(-(10**17), 10**17) for _ in range(size.scenarios)),
        )
        for i in range(size.instruments)
    )
    return Market(assets, instruments, size.scenarios)


def random_accounts(rng: random.Random, size: VenueSize) -> list[SparseAccount]:
    """K positions of up to 1,000 contracts, C balances of 10^14..10^18: collateral at least
    10^14 10^8 5000 = 5 10^25 per balance, against losses and mark values of at most
    K 1000 10^17 10^4 = 3.2 10^25 each at K = 32 (solvency is asserted in main)."""
    out = []
    for b in range(size.batch):
        positions = sorted(rng.sample(range(size.instruments), size.positions))
        balances = sorted(rng.sample(range(size.assets), size.balances))
        out.append(
            SparseAccount(
                f"acct{b}",
                tuple((i, rng.choice([-1, 1]) * rng.randrange(1, 1_000)) for i in positions),
                tuple((a, rng.randrange(10**14, 10**18)) for a in balances),
                rng.randrange(-(10**20), 10**20),
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--size", type=int, nargs=5, default=list(VENUE), metavar=("I", "A", "S", "K", "C"))
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "venue_prove.md")
    args = parser.parse_args()
    i, a, s, k, c = args.size
    size = VenueSize(i, a, s, k, c, args.batch)
    rng = random.Random(2026)
    market = random_market(rng, size)
    accounts = random_accounts(rng, size)
    assert all(evaluate_sparse(account, market).solvent for account in accounts)
    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="zks-venue-prove-") as tmp:
        work = Path(tmp)
        main_path = work / "main.circom"
        main_path.write_text(
            f'pragma circom 2.1.6;\ninclude "{BATCH}";\n'
            "component main {public [price, weight, mark, shock, marketHash, roundId]} = "
            f"VenueBatchMain({i}, {a}, {s}, {k}, {c}, {args.batch});\n"
        )
        start = time.perf_counter()
        compiled = compile_circuit(main_path, out_dir=work / "build", timeout=3600)
        times["compile"] = time.perf_counter() - start
        r1cs = read_r1cs(compiled.r1cs)
        power = (r1cs.n_constraints + r1cs.n_public + 1 - 1).bit_length()
        ptau_path = work / f"pot{power}_unsafe.ptau"
        start = time.perf_counter()
        generate_dev_ptau(ptau_path, power)
        times["dev ptau (UNSAFE)"] = time.perf_counter() - start
        start = time.perf_counter()
        with PTauFile(ptau_path) as ptau:
            zkey = setup(r1cs, ptau, kernels="native")
        times["setup (native)"] = time.perf_counter() - start
        entries = [VenueEntry(rng.randrange(R), account) for account in accounts]
        start = time.perf_counter()
        inputs = venue_inputs(market, entries, size, 1)
        times["inputs (Python)"] = time.perf_counter() - start
        calculator = WitnessCalculator(compiled.wasm)
        start = time.perf_counter()
        witness = calculator.calculate(inputs)
        times["witness"] = time.perf_counter() - start
        start = time.perf_counter()
        proof, public = prove_with(zkey, witness, rng.randrange(R), rng.randrange(R), get_kernels("native"))
        times["prove (native)"] = time.perf_counter() - start
        start = time.perf_counter()
        ok = verify(export_vkey(zkey), public, proof).valid
        times["verify (native)"] = time.perf_counter() - start
        assert ok, "the proof does not verify"
    lines = [
        f"# Native prove of one venue batch: I = {i}, A = {a}, S = {s}, K = {k}, C = {c}, B = {args.batch}",
        "",
        f"Generated by `benchmarks/venue_prove.py` on {platform.platform()}, {os.cpu_count()} cores. "
        f"{r1cs.n_constraints:,} constraints, {r1cs.n_public:,} public signals, domain 2^{power}. "
        "Keys from an UNSAFE single-party dev ptau (timing only).",
        "",
        "| step | seconds |",
        "| --- | ---: |",
        *(f"| {step} | {sec:.1f} |" for step, sec in times.items()),
    ]
    text = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
