"""Trade batches: execution in exact integers, circuit inputs, the snapshot hash and public signals."""

from zksolvency.trades.execution import Execution, SideStep, TradeRefused, TradeStep, execute, fee_for
from zksolvency.trades.inputs import BatchPublic, batch_inputs, batch_public
from zksolvency.trades.size import TEST_SIZE, TradeCircuitSize
from zksolvency.trades.snapshot import header, snapshot_hash, trade_hash, trades_commitment
from zksolvency.trades.tradefile import LiquidationTrade, MatchedTrade, TradeLine, parse_trade, read_trades

__all__ = [
    "TEST_SIZE",
    "BatchPublic",
    "Execution",
    "LiquidationTrade",
    "MatchedTrade",
    "SideStep",
    "TradeCircuitSize",
    "TradeLine",
    "TradeRefused",
    "TradeStep",
    "batch_inputs",
    "batch_public",
    "execute",
    "fee_for",
    "header",
    "parse_trade",
    "read_trades",
    "snapshot_hash",
    "trade_hash",
    "trades_commitment",
]
