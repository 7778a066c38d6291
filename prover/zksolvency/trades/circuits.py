"""The shipped trade batch circuits (``circuits/manifest.json``, key ``"trades"``) and which one a batch uses.

Each entry names a main file ``TradeBatchMain(A, I, S, D, T)``: ``A`` assets, ``I`` instruments
and ``S`` scenarios (the market table), state depth ``D``, ``T`` trades per batch. A batch of
``n`` trades on a state of depth ``D`` with circuit size ``(A, I)`` takes the entry with the same
``A, I, S, D`` and the smallest ``T >= n``; the rest of its slots are padding trades. Compiling
and setting up reuse the solvency stages' cache (:func:`zksolvency.round.circuits.prepare_keys`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zksolvency.errors import SetupError
from zksolvency.families import MANIFEST, REPO, TRADES, manifest_entries
from zksolvency.round.circuits import CircuitEntry
from zksolvency.trades.size import TradeCircuitSize

FAMILY = TRADES.manifest_lists[0]


@dataclass(frozen=True)
class TradeCircuit:
    """One shipped trade batch main."""

    name: str
    main: Path
    size: TradeCircuitSize

    @property
    def entry(self) -> CircuitEntry:
        """The entry the compile and setup cache takes (it uses the name and the main file)."""
        s = self.size
        return CircuitEntry(self.name, self.main, s.assets, s.instruments, s.scenarios)

    def describe(self) -> dict[str, object]:
        """The entry as a batch folder records it."""
        s = self.size
        return {
            "name": self.name,
            "assets": s.assets,
            "instruments": s.instruments,
            "scenarios": s.scenarios,
            "depth": s.depth,
            "trades": s.trades,
        }


def _entry(raw: object, path: Path) -> TradeCircuit:
    if not isinstance(raw, dict):
        raise SetupError(f"{path}: a {FAMILY} entry is not an object: {raw!r}")
    try:
        size = TradeCircuitSize(
            *(int(str(raw[k])) for k in ("assets", "instruments", "scenarios", "depth", "trades"))
        )
        return TradeCircuit(str(raw["name"]), REPO / str(raw["main"]), size)
    except (KeyError, ValueError) as exc:
        raise SetupError(f"{path}: malformed {FAMILY} entry {raw!r}: {exc}") from None


def trade_circuits(path: Path = MANIFEST) -> tuple[TradeCircuit, ...]:
    """Every trade batch circuit the manifest ships."""
    return tuple(_entry(e, path) for e in manifest_entries(TRADES, FAMILY, path))


def trade_circuit(name: str, path: Path = MANIFEST) -> TradeCircuit:
    """The trade circuit called ``name``."""
    shipped = trade_circuits(path)
    for circuit in shipped:
        if circuit.name == name:
            return circuit
    names = ", ".join(c.name for c in shipped)
    raise SetupError(f"no trade circuit {name!r} in {path.name} (choose from: {names})")


def choose_trade_circuit(
    assets: int, instruments: int, scenarios: int, depth: int, trades: int, path: Path = MANIFEST
) -> TradeCircuit:
    """The shipped circuit for a state of size ``(A, I)`` and depth ``D``, a market of ``S`` scenarios
    and a batch of ``trades`` trades: the smallest ``T >= trades``."""
    dims = (assets, instruments, scenarios, depth)
    fits = sorted(
        (
            c
            for c in trade_circuits(path)
            if (c.size.assets, c.size.instruments, c.size.scenarios, c.size.depth) == dims
        ),
        key=lambda c: c.size.trades,
    )
    if not fits:
        raise SetupError(
            f"{path.name} ships no trade circuit for A={assets}, I={instruments}, S={scenarios}, "
            f'depth {depth} (add a main file under circuits/trades/ and a "{FAMILY}" entry)'
        )
    for circuit in fits:
        if circuit.size.trades >= trades:
            return circuit
    largest = fits[-1].size.trades
    raise SetupError(f"{trades} trades do not fit one batch: the largest shipped batch holds {largest}")
