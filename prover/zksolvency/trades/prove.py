"""``trades prove``: check a batch of trades, prove it, write the batch folder, then move the state.

Order of work, so that bad input changes nothing and the state never runs ahead of a proof:

1. read the state folder, the market snapshot, the orders and the trades (each parse error names
   the file, line and field);
2. execute the trades in exact integers (:func:`zksolvency.trades.execution.execute`): every rule
   the circuit enforces is checked here first, and the first refusal names the trade and field;
3. compile and set up the trade circuit (cached), compute the witness, prove (native prover),
   and verify the proof against the public signals computed in Python;
4. write the batch folder atomically (``zksolvency.trades.batch_folder``);
5. only then write the new state (accounts after the batch, next batch id + 1) atomically.

A crash between 4 and 5 leaves a proven batch and the old state: proving again refuses because
the batch folder exists, and the operator can settle the folder and rerun from the old state.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from zksolvency.bn254 import R
from zksolvency.errors import InputError
from zksolvency.model.market import read_market
from zksolvency.orders.order import read_orders
from zksolvency.round.circuits import prepare_keys
from zksolvency.state.store import read_state, with_accounts, write_state
from zksolvency.trades.batch_folder import TradeBatch, write_batch_folder
from zksolvency.trades.circuits import TradeCircuit, choose_trade_circuit, trade_circuit
from zksolvency.trades.execution import execute
from zksolvency.trades.inputs import batch_inputs, batch_public
from zksolvency.trades.tradefile import read_trades

Say = Callable[[str], None]


def _quiet(_message: str) -> None:
    return None


@dataclass(frozen=True)
class TradeProveOptions:
    """What ``trades prove`` takes (``batch_time`` ``None``: now, in unix seconds)."""

    state: Path
    orders: Path
    trades: Path
    market: Path
    out: Path
    fee_bps: int = 0
    batch_time: int | None = None
    circuit: str | None = None
    ptau: Path | None = None
    backend: str | None = None


@dataclass(frozen=True)
class TradeProveResult:
    """The proven batch: where it is, its roots and ids, and how long each stage took."""

    out: Path
    batch: TradeBatch
    circuit: TradeCircuit
    constraints: int
    #: The key is not from a verified ceremony (the UNSAFE dev ptau, or a single-party setup).
    unsafe_setup: bool = False
    timings: dict[str, float] = field(default_factory=dict)


def prove_trades(options: TradeProveOptions, say: Say = _quiet) -> TradeProveResult:
    """Prove one batch of trades on the state folder ``options.state`` (see the module docstring)."""
    timings: dict[str, float] = {}
    mark = time.perf_counter()
    if options.out.exists():
        raise InputError(f"--out {options.out} already exists; a proven batch is never overwritten")
    state, _root = read_state(options.state)
    market = read_market(options.market)
    market_bytes = options.market.read_bytes()
    orders = read_orders(options.orders)
    trades = read_trades(options.trades)
    if not trades:
        raise InputError(f"{options.trades}: no trades to prove")
    batch_time = int(time.time()) if options.batch_time is None else options.batch_time
    if options.circuit is not None:
        circuit = trade_circuit(options.circuit)
    else:
        circuit = choose_trade_circuit(
            state.circuit_assets, state.circuit_instruments, market.scenarios, state.depth, len(trades)
        )
    size = circuit.size
    if (size.assets, size.instruments, size.depth) != (
        state.circuit_assets,
        state.circuit_instruments,
        state.depth,
    ):
        raise InputError(
            f"trade circuit {circuit.name} is for A={size.assets}, I={size.instruments}, depth {size.depth}; "
            f"the state has A={state.circuit_assets}, I={state.circuit_instruments}, depth {state.depth}"
        )
    if len(trades) > size.trades:
        raise InputError(f"{len(trades)} trades do not fit circuit {circuit.name} ({size.trades} per batch)")
    execution = execute(state, market, orders, trades, batch_time, options.fee_bps)
    batch_id = state.next_batch_id
    public = batch_public(execution, market, size, batch_id, batch_time, options.fee_bps)
    inputs = batch_inputs(execution, market, size, batch_id, batch_time, options.fee_bps)
    timings["read and execute"] = time.perf_counter() - mark

    mark = time.perf_counter()
    keys = prepare_keys(circuit.entry, options.ptau, options.backend, say)
    timings["compile and setup"] = time.perf_counter() - mark

    say(f"proving {len(trades)} trades with {circuit.name} ({keys.constraints:,} constraints)")
    from zksolvency.circuit.formats.snarkjs_json import read_vkey
    from zksolvency.circuit.formats.zkey import read_zkey_raw
    from zksolvency.circuit.witness import calculate_witness
    from zksolvency.groth16.native_prove import prove_raw
    from zksolvency.groth16.verify import verify

    mark = time.perf_counter()
    witness = calculate_witness(keys.wasm, inputs)
    timings["witness"] = time.perf_counter() - mark
    mark = time.perf_counter()
    proof, signals = prove_raw(read_zkey_raw(keys.zkey), witness, secrets.randbelow(R), secrets.randbelow(R))
    timings["prove"] = time.perf_counter() - mark
    if tuple(signals) != public.signals:
        raise RuntimeError(
            f"the circuit's public signals {signals} differ from the ones computed in Python "
            f"{list(public.signals)}: a bug, nothing was written"
        )
    vkey = read_vkey(keys.vkey)
    answer = verify(vkey, signals, proof, options.backend)
    if not answer:
        raise RuntimeError(f"the new proof does not verify ({answer.reason}): a bug, nothing was written")

    batch = TradeBatch(
        circuit={
            **circuit.describe(),
            "constraints": keys.constraints,
            "r1cs_sha256": keys.r1cs_sha256,
            "zkey_sha256": keys.zkey_sha256,
            "vkey_sha256": keys.vkey_sha256,
            "setup": keys.provenance.to_json(),
        },
        old_root=public.old_root,
        new_root=public.new_root,
        snapshot_hash=public.snapshot_hash,
        trades_commitment=public.trades_commitment,
        batch_id=batch_id,
        batch_time=batch_time,
        fee_bps=options.fee_bps,
        header=public.header,
        public=public.signals,
        trades=len(trades),
    )
    mark = time.perf_counter()
    write_batch_folder(options.out, batch, proof, keys.vkey.read_bytes(), market_bytes)
    write_state(options.state, with_accounts(state, execution.accounts, batch_id + 1))
    timings["write"] = time.perf_counter() - mark
    return TradeProveResult(
        options.out, batch, circuit, keys.constraints, not keys.provenance.trusted, timings
    )
