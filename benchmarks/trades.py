"""Trade batch circuits: constraints per trade at depth 20 (reference size) and native prove time.

    .venv/bin/python benchmarks/trades.py [--trades 8 32] [--no-prove] [--out benchmarks/results/trades.md]

Compiles (circom2, or the native circom named by ``$ZKSOLVENCY_CIRCOM``; --O2; through
zksolvency's compile cache):

* the shipped mains ``TradeBatchMain(4, 16, 16, 20, T)`` of circuits/manifest.json for each
  ``T`` asked (a size circom2's WebAssembly build cannot compile is recorded as such);
* ``TradeBatchMain(4, 16, 16, 20, 1)`` and ``(..., 2)``: their difference is the marginal cost
  of one trade, the rest the per-batch part (snapshot hash, header, final hashes);
* the parts of one trade on their own (``Trade``, ``TradeSide``, ``MerkleUpdate(20)``,
  circomlib's ``EdDSAPoseidonVerifier``, ``AccountRule(4, 16, 16)``, ``AccountLeaf(4, 16)``), and,
  for comparison only (not shipped), ``QuadUpdate(10)``: the same update in a 4-ary Poseidon(4) tree
  of the same capacity (4^10 = 2^20 leaves), written below.

T = 32 (about 1.4 million constraints) needs the native compiler: circom2's WebAssembly build
holds at most 4 GiB. Build circom 2.2.3 (``cargo build --release -p circom`` in a checkout of
iden3/circom at tag v2.2.3) and run with ``ZKSOLVENCY_CIRCOM=/path/to/target/release/circom``.

Then, unless ``--no-prove``, for each compiled ``T``: an UNSAFE dev ptau and a setup (test keys),
a valid batch of ``T`` trades (two accounts trading back and forth, signed orders) executed by
``zksolvency.trades``, its witness, and the native prove time (key in memory); the proof must
verify and its public signals equal Python's. Writes Markdown with the machine's core count.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from machine import cores_and_python, publish
from zksolvency import toolchain
from zksolvency.circuit.compile import compile_circuit
from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.circuit.formats.r1cs import read_r1cs
from zksolvency.circuit.witness import WitnessCalculator
from zksolvency.errors import CompileError
from zksolvency.groth16.kernels import get_kernels
from zksolvency.groth16.phase2 import domain_power
from zksolvency.groth16.prove import prove_with
from zksolvency.groth16.ptau_dev import DevSecrets, generate_dev_ptau
from zksolvency.groth16.setup import contribute, new_zkey
from zksolvency.groth16.verify import verify
from zksolvency.groth16.vkey import export_vkey
from zksolvency.model.market import Asset, Instrument, Market
from zksolvency.orders import Order, public_key, sign_order
from zksolvency.state.leaf import StateAccount
from zksolvency.state.store import State
from zksolvency.trades import MatchedTrade, TradeCircuitSize, batch_inputs, batch_public, execute

REPO = Path(__file__).resolve().parent.parent
TRADES = REPO / "circuits" / "trades"
LIB = REPO / "circuits" / "lib"
RESULTS = Path(__file__).resolve().parent / "results" / "trades.md"
NA, NI, NS, DEPTH = 4, 16, 16, 20
BATCH_TIME = 1_790_000_000
NOTES = (
    "Notes: the machine's 2 cores were shared with other work while this ran, so the times are upper "
    "bounds. Keys are UNSAFE dev keys (a dev ptau and one pinned contribution), for timing only; a "
    "dev ptau stops at power 21."
)

#: A 4-ary Merkle update, for comparison with MerkleUpdate(20) only (benchmark, not shipped).
#: Per level: pos = b0 + 2 b1 (bits), one-hot e (e3 = b0 b1), the three siblings s0 < s1 < s2 in
#: child order without the path's own child; child j is cur when pos = j, s_j when pos > j and
#: s_(j-1) when pos < j; node = Poseidon(child0..child3).
QUAD_UPDATE = """pragma circom 2.1.6;
include "circomlib/circuits/poseidon.circom";
template QuadLevel() {
    signal input cur;
    signal input b[2];
    signal input s[3];
    signal input e[4];
    signal input s0e0;
    signal input s1lt2;
    signal input s1gt1;
    signal input s2e3;
    signal output out;
    component h = Poseidon(4);
    h.inputs[0] <== s[0] + e[0] * (cur - s[0]);
    h.inputs[1] <== e[1] * cur + s0e0 + s1gt1;
    h.inputs[2] <== e[2] * cur + s1lt2 + s2e3;
    h.inputs[3] <== s[2] + e[3] * (cur - s[2]);
    out <== h.out;
}
template QuadUpdate(D) {
    signal input oldLeaf;
    signal input newLeaf;
    signal input b[D][2];
    signal input s[D][3];
    signal output oldRoot;
    signal output newRoot;
    signal e3[D];
    signal s0e0[D];
    signal s1lt2[D];
    signal s1gt1[D];
    signal s2e3[D];
    component o[D];
    component n[D];
    for (var k = 0; k < D; k++) {
        b[k][0] * (b[k][0] - 1) === 0;
        b[k][1] * (b[k][1] - 1) === 0;
        e3[k] <== b[k][0] * b[k][1];
        var e0 = 1 - b[k][0] - b[k][1] + e3[k];
        var e1 = b[k][0] - e3[k];
        var e2 = b[k][1] - e3[k];
        s0e0[k] <== s[k][0] * e0;
        s1lt2[k] <== s[k][1] * (e0 + e1);
        s1gt1[k] <== s[k][1] * (e2 + e3[k]);
        s2e3[k] <== s[k][2] * e3[k];
        o[k] = QuadLevel();
        n[k] = QuadLevel();
        o[k].cur <== k == 0 ? oldLeaf : o[k - 1].out;
        n[k].cur <== k == 0 ? newLeaf : n[k - 1].out;
        for (var j = 0; j < 2; j++) { o[k].b[j] <== b[k][j]; n[k].b[j] <== b[k][j]; }
        for (var j = 0; j < 3; j++) { o[k].s[j] <== s[k][j]; n[k].s[j] <== s[k][j]; }
        o[k].e <== [e0, e1, e2, e3[k]];
        n[k].e <== [e0, e1, e2, e3[k]];
        o[k].s0e0 <== s0e0[k];
        n[k].s0e0 <== s0e0[k];
        o[k].s1lt2 <== s1lt2[k];
        n[k].s1lt2 <== s1lt2[k];
        o[k].s1gt1 <== s1gt1[k];
        n[k].s1gt1 <== s1gt1[k];
        o[k].s2e3 <== s2e3[k];
        n[k].s2e3 <== s2e3[k];
    }
    oldRoot <== o[D - 1].out;
    newRoot <== n[D - 1].out;
}
"""


@dataclass(frozen=True)
class Count:
    label: str
    constraints: int | None
    seconds: float
    note: str = ""


def _count(label: str, include: Path, expression: str, work: Path) -> Count:
    folder = work / "".join(c if c.isalnum() else "_" for c in label)
    folder.mkdir(parents=True, exist_ok=True)
    main = folder / "main.circom"
    main.write_text(f'pragma circom 2.1.6;\ninclude "{include}";\ncomponent main = {expression};\n')
    return _compile_count(label, main, folder / "build")


def _quad_source(work: Path) -> Path:
    path = work / "quad_update.circom"
    path.write_text(QUAD_UPDATE)
    return path


def _compile_count(label: str, main: Path, out: Path) -> Count:
    start = time.perf_counter()
    try:
        compiled = compile_circuit(main, out_dir=out, timeout=7200)
    except CompileError as exc:
        first = next((line for line in str(exc).splitlines()[1:] if line.strip()), str(exc))
        print(f"{label:<48} does not compile: {first}", flush=True)
        return Count(label, None, time.perf_counter() - start, first.strip())
    count = Count(label, read_r1cs(compiled.r1cs).n_constraints, time.perf_counter() - start)
    print(f"{label:<48} {count.constraints:>10,} constraints ({count.seconds:.1f} s)", flush=True)
    return count


def _secret(name: str) -> bytes:
    return hashlib.sha256(f"benchmark key {name}".encode()).digest()


def _market() -> Market:
    return Market(
        (Asset("BTC", 600 * 10**8, 9_000), Asset("USDC", 10**8, 10_000)),
        (Instrument("BTC-C", 5 * 10**16, (-2 * 10**16, 0, 3 * 10**16, 9 * 10**16), None, 500),),
        4,
    )


def _batch(trades: int) -> tuple[State, list[Order], list[MatchedTrade]]:
    """alice and bob trade one call back and forth ``trades`` times (every order signed)."""
    accounts = tuple(
        StateAccount(n, 1000 + k, 0, public_key(_secret(n)), (10**8, 10**12), (0,), 0)
        for k, n in enumerate(("alice", "bob"))
    )
    state = State(DEPTH, NA, NI, ("BTC", "USDC"), ("BTC-C",), accounts)
    orders: list[Order] = []
    lines: list[MatchedTrade] = []
    for t in range(trades):
        buyer, seller = ("alice", "bob") if t % 2 == 0 else ("bob", "alice")
        for name, side, limit in ((buyer, "buy", 52 * 10**15), (seller, "sell", 50 * 10**15)):
            raw = Order(name, "BTC-C", side, 1, limit, t, BATCH_TIME + 3600)
            orders.append(sign_order(raw, _secret(name)))
        lines.append(MatchedTrade(2 * t, 2 * t + 1, 1, 51 * 10**15))
    return state, orders, lines


def prove_time(trades: int, compiled_main: Path, work: Path) -> tuple[float, float, float]:
    """(setup s, witness s, native prove s) for a valid batch of ``trades`` trades."""
    compiled = compile_circuit(compiled_main, out_dir=work / f"prove_t{trades}", timeout=7200)
    r1cs = read_r1cs(compiled.r1cs)
    start = time.perf_counter()
    power = domain_power(r1cs)
    ptau = work / f"pot{power}_unsafe.ptau"
    if not ptau.exists():
        generate_dev_ptau(ptau, power, DevSecrets(tau=0xBE7C, alpha=0xA1, beta=0xBE), backend="native")
    with PTauFile(ptau) as p:
        zkey = contribute(new_zkey(r1cs, p, "native"), 0xB, 0xE, "trades benchmark", "native")
    setup_s = time.perf_counter() - start
    state, orders, lines = _batch(trades)
    market = _market()
    execution = execute(state, market, orders, lines, BATCH_TIME, 10)
    size = TradeCircuitSize(NA, NI, NS, DEPTH, trades)
    start = time.perf_counter()
    witness = WitnessCalculator(compiled.wasm).calculate(
        batch_inputs(execution, market, size, 0, BATCH_TIME, 10)
    )
    witness_s = time.perf_counter() - start
    start = time.perf_counter()
    proof, public = prove_with(zkey, witness, 0x1234, 0x5678, get_kernels("native"))
    prove_s = time.perf_counter() - start
    assert tuple(public) == batch_public(execution, market, size, 0, BATCH_TIME, 10).signals
    assert verify(export_vkey(zkey), public, proof, backend="native").valid
    print(
        f"T = {trades}: setup {setup_s:.1f} s, witness {witness_s:.2f} s, native prove {prove_s:.2f} s",
        flush=True,
    )
    return setup_s, witness_s, prove_s


def _fmt(n: int | None) -> str:
    return "-" if n is None else f"{n:,}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trades", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--no-prove", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="zks-trades-bench-"))
    batch = TRADES / "batch.circom"
    one = _count(
        "TradeBatchMain(4, 16, 16, 20, 1)", batch, f"TradeBatchMain({NA}, {NI}, {NS}, {DEPTH}, 1)", work
    )
    two = _count(
        "TradeBatchMain(4, 16, 16, 20, 2)", batch, f"TradeBatchMain({NA}, {NI}, {NS}, {DEPTH}, 2)", work
    )
    merkle = _count("MerkleUpdate(20)", LIB / "merkle.circom", f"MerkleUpdate({DEPTH})", work)
    eddsa = _count("EdDSAPoseidonVerifier()", TRADES / "side.circom", "EdDSAPoseidonVerifier()", work)
    rule = _count("AccountRule(4, 16, 16)", LIB / "margin.circom", f"AccountRule({NA}, {NI}, {NS})", work)
    quad = _count("QuadUpdate(10), 4-ary, not shipped", _quad_source(work), "QuadUpdate(10)", work)
    parts = [
        _count("Trade(4, 16, 16, 20)", TRADES / "trade.circom", f"Trade({NA}, {NI}, {NS}, {DEPTH})", work),
        _count(
            "TradeSide(4, 16, 16, 20, 0)",
            TRADES / "side.circom",
            f"TradeSide({NA}, {NI}, {NS}, {DEPTH}, 0)",
            work,
        ),
        merkle,
        eddsa,
        rule,
        _count("AccountLeaf(4, 16)", LIB / "leaf.circom", f"AccountLeaf({NA}, {NI})", work),
        _count("SnapshotHash(4, 16, 16)", batch, f"SnapshotHash({NA}, {NI}, {NS})", work),
        _count("Poseidon(2)", TRADES / "side.circom", "Poseidon(2)", work),
        _count("Poseidon(4)", TRADES / "side.circom", "Poseidon(4)", work),
        quad,
    ]
    shipped: list[tuple[int, Count, tuple[float, float, float] | None]] = []
    for t in args.trades:
        main_file = TRADES / f"main_reference_d20_t{t}.circom"
        count = _compile_count(f"shipped TradeBatchMain(4, 16, 16, 20, {t})", main_file, work / f"t{t}")
        timing = None
        if count.constraints is not None and not args.no_prove:
            timing = prove_time(t, main_file, work)
        shipped.append((t, count, timing))
    lines = [
        "# Trade batch circuit: constraints per trade and native prove time",
        "",
        f"Generated by `benchmarks/trades.py` on {cores_and_python()}; "
        f"{toolchain.circom_compiler().label} --O2; reference size "
        f"A = {NA}, I = {NI}, S = {NS}, state depth D = {DEPTH}.",
        "",
        "| circuit | constraints | per trade | compile (s) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for t, count, _ in shipped:
        per = "-" if count.constraints is None else f"{count.constraints // t:,}"
        lines.append(f"| T = {t} | {_fmt(count.constraints)} | {per} | {count.seconds:.0f} |")
    for t, count, _ in shipped:
        if count.constraints is None:
            lines += [
                "",
                f"T = {t} does not compile with {toolchain.circom_compiler().label}: `{count.note}` "
                "(circom2, circom built for WebAssembly, holds 4 GiB at most; set $ZKSOLVENCY_CIRCOM "
                "to a native circom 2.2.3).",
            ]
            if one.constraints is not None and two.constraints is not None:
                marginal = two.constraints - one.constraints
                predicted = one.constraints - marginal + t * marginal
                lines.append(
                    f"From the parts below it would have {predicted:,} constraints "
                    f"({predicted // t:,} per trade), a domain of 2^{predicted.bit_length()}."
                )
    lines += ["", "| part | constraints | compile (s) |", "| --- | ---: | ---: |"]
    for c in [one, two, *parts]:
        lines.append(f"| {c.label} | {_fmt(c.constraints)} | {c.seconds:.0f} |")
    if one.constraints is not None and two.constraints is not None:
        marginal = two.constraints - one.constraints
        lines += [
            "",
            f"- marginal cost of one trade (T = 2 minus T = 1): {marginal:,} constraints",
            f"- per batch, once (T = 1 minus one trade): {one.constraints - marginal:,}",
            "- target: at most 30,000 per trade",
        ]
    if merkle.constraints and quad.constraints and eddsa.constraints and rule.constraints:
        binary_floor = 2 * (merkle.constraints + eddsa.constraints + rule.constraints)
        quad_floor = 2 * (quad.constraints + eddsa.constraints + rule.constraints)
        lines += [
            f"- two sides' MerkleUpdate(20) + EdDSAPoseidonVerifier + AccountRule alone: {binary_floor:,}",
            f"- the same with the 4-ary QuadUpdate(10) instead: {quad_floor:,}",
        ]
    timings = [(t, timing) for t, _, timing in shipped if timing is not None]
    if timings:
        lines += [
            "",
            "| T | setup, UNSAFE dev keys (s) | witness (s) | native prove (s) |",
            "| ---: | ---: | ---: | ---: |",
        ]
        lines += [f"| {t} | {s:.1f} | {w:.2f} | {p:.2f} |" for t, (s, w, p) in timings]
    lines += ["", NOTES]
    publish("\n".join(lines) + "\n", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
