"""Fixtures shared by the model tests: MARGIN.md's worked example as files and objects."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from zksolvency.model.market import Market, parse_market

#: The worked example's snapshot, one field per line so that tests can name lines.
SPEC_MARKET = """\
{
  "assets": {
    "USDC": {"price": "100000000", "weight": 10000},
    "BTC": {"price": "60000000000", "weight": 9000}
  },
  "instruments": {
    "BTC-C": {
      "mark": "50000000000000000",
      "shocks": ["-20000000000000000", "0", "30000000000000000", "90000000000000000"]
    }
  }
}
"""

#: The worked example's account, in JSON Lines.
SPEC_ACCOUNT = (
    '{"id": "alice", "balances": {"USDC": 1000000000, "BTC": "10000000"}, '
    '"positions": {"BTC-C": {"size": -1, "cost": "-50000000000000000"}}}'
)


@pytest.fixture
def spec_market() -> Market:
    return parse_market(SPEC_MARKET, "market.json")


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write text or bytes to a file named ``name`` under a fresh directory; return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return _write


@pytest.fixture
def spec_market_text() -> str:
    return SPEC_MARKET


@pytest.fixture
def spec_account_line() -> str:
    return SPEC_ACCOUNT
