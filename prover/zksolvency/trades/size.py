"""The template parameters of a trade batch circuit, ``TradeBatchMain(A, I, S, D, T)``."""

from __future__ import annotations

from dataclasses import dataclass

from zksolvency.circuit.solvency_inputs import CircuitSize


@dataclass(frozen=True, slots=True)
class TradeCircuitSize:
    """``A`` assets, ``I`` instruments, ``S`` scenarios, state depth ``D``, ``T`` trades per batch."""

    assets: int
    instruments: int
    scenarios: int
    depth: int
    trades: int

    def __post_init__(self) -> None:
        if min(self.assets, self.instruments, self.scenarios, self.depth, self.trades) < 1:
            raise ValueError(f"trade circuit size {self}: every parameter must be at least 1")

    @property
    def market_size(self) -> CircuitSize:
        """The solvency size with the same ``A, I, S`` (batch 1), for the market hash."""
        return CircuitSize(self.assets, self.instruments, self.scenarios, 1)


#: ``circuits/trades/main_test.circom``.
TEST_SIZE = TradeCircuitSize(assets=2, instruments=2, scenarios=4, depth=4, trades=2)
