"""The demo's market: built from the three bundled price sources, signed by the DEMO committee.

``build_demo_market(out_dir, reference)``:

1. builds the snapshot from ``examples/market.toml`` (reference size, A = 4, I = 16,
   S = 16) or ``examples/market-small.toml`` (test size, A = 2, I = 2, S = 4) with the
   sources ``examples/sources/*.json`` at their snapshot time (``market build --source``);
2. takes the accounts: ``examples/accounts-solvent.jsonl`` at the reference size, else a
   generated venue of ``SMALL_ACCOUNTS`` solvent accounts (:mod:`zksolvency.round.sample`);
3. signs the snapshot with three of the five DEMO committee members, whose keys are
   PUBLIC (:mod:`zksolvency.oracle.demo_committee`: UNSAFE, anyone can sign as them), and
   writes the committee file.

Everything lands in ``out_dir``: ``market.json``, ``market.signatures.json``,
``committee.json`` and (small demo) ``accounts.jsonl``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zksolvency.model.accounts import accounts_to_jsonl
from zksolvency.model.description import read_description
from zksolvency.model.market import market_to_json
from zksolvency.model.market_builder import build_market
from zksolvency.oracle.committee import write_committee
from zksolvency.oracle.demo_committee import demo_committee, demo_sign
from zksolvency.oracle.prices import resolve_prices
from zksolvency.oracle.sources import read_source
from zksolvency.round.sample import sample_accounts
from zksolvency.util.atomic import atomic_write_text

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
EXAMPLE_ACCOUNTS = EXAMPLES / "accounts-solvent.jsonl"
#: The bundled price sources and the time they were quoted at (2026-12-01T12:00:00Z).
EXAMPLE_SOURCES = tuple(sorted((EXAMPLES / "sources").glob("*.json")))
EXAMPLE_SNAPSHOT_TIME = 1_796_126_400
#: The descriptions of the reference and the small demo, and their circuit shapes (A, I, S).
REFERENCE_DESCRIPTION, REFERENCE_SHAPE = EXAMPLES / "market.toml", (4, 16, 16)
SMALL_DESCRIPTION, SMALL_SHAPE = EXAMPLES / "market-small.toml", (2, 2, 4)
#: Accounts of the generated venue of the smaller demo.
SMALL_ACCOUNTS = 12


@dataclass(frozen=True)
class DemoMarket:
    """The demo's inputs: the snapshot, its signatures, the committee and the accounts."""

    market: Path
    signatures: Path
    committee: Path
    accounts: Path
    sources: int
    signers: int


def build_demo_market(out_dir: Path, reference: bool) -> DemoMarket:
    """Steps 1-3 of the module docstring, into ``out_dir``."""
    description, shape = (
        (REFERENCE_DESCRIPTION, REFERENCE_SHAPE) if reference else (SMALL_DESCRIPTION, SMALL_SHAPE)
    )
    desc, record = resolve_prices(
        read_description(description), [read_source(p) for p in EXAMPLE_SOURCES], EXAMPLE_SNAPSHOT_TIME
    )
    built = build_market(desc, description.name, record)
    market = out_dir / "market.json"
    atomic_write_text(market, market_to_json(built.market, built.generated))
    accounts = EXAMPLE_ACCOUNTS
    if not reference:
        accounts = out_dir / "accounts.jsonl"
        atomic_write_text(
            accounts, accounts_to_jsonl(sample_accounts(built.market, SMALL_ACCOUNTS), built.market)
        )
    signatures, committee = out_dir / "market.signatures.json", out_dir / "committee.json"
    signed = demo_sign(market, shape, signatures)
    write_committee(committee, demo_committee())
    return DemoMarket(market, signatures, committee, accounts, len(EXAMPLE_SOURCES), len(signed.signatures))
