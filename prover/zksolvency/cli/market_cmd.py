"""``zksolvency market build``: a market snapshot (marks and scenario shocks) from a description and,
with an ``[oracle]`` table, from price sources; ``sign``, ``verify`` and ``register`` are attached
from :mod:`zksolvency.cli.market_signing_cmd`."""

from __future__ import annotations

import json
import time as clock
from pathlib import Path

import click

from zksolvency.cli.common import handle_errors
from zksolvency.errors import InputError
from zksolvency.model.description import read_description
from zksolvency.model.market import market_to_json
from zksolvency.model.market_builder import build_market, report_to_obj
from zksolvency.oracle.prices import resolve_prices
from zksolvency.oracle.sources import read_source
from zksolvency.util.atomic import atomic_write_text

_FILE = click.Path(dir_okay=False, path_type=Path)


@click.group("market")
def market() -> None:
    """Market snapshots: the public prices, marks and scenario shocks every proof uses.

    \b
    The oracle flow (docs/oracle.md):
      market build DESC --source A.json --source B.json ...   median of fresh quotes
      market sign SNAPSHOT --chain-id N --key FILE             one committee member
      market verify SNAPSHOT --committee committee.json         k of n signed it?
      market register SNAPSHOT --deployment deployment.json     put it on chain
    """


@market.command("build")
@click.argument("description", type=_FILE)
@click.option("--out", "out_path", required=True, type=_FILE, help="Snapshot to write (JSON).")
@click.option(
    "--source",
    "sources",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A price source (JSON: spots and implied vols, each with its time); repeat for each. "
    "Needed by, and only by, a description with an [oracle] table.",
)
@click.option(
    "--time",
    "snapshot_time",
    type=click.IntRange(0),
    default=None,
    help="Snapshot time, Unix seconds: quotes are fresh up to max_age_seconds before it "
    "(default: now). Recorded in the snapshot and signed by the committee.",
)
@click.option(
    "--report",
    "report_path",
    type=_FILE,
    default=None,
    help="Also write a JSON report: marks, delta, gamma, vega, theta and worst losses per contract "
    "('-' for stdout).",
)
@handle_errors
def build(
    description: Path,
    out_path: Path,
    sources: tuple[Path, ...],
    snapshot_time: int | None,
    report_path: Path | None,
) -> None:
    """Build a snapshot from DESCRIPTION (TOML, or JSON if it ends in .json).

    The description gives spot prices of the underlyings (quote currency per whole
    unit), collateral assets (decimals of their minor unit, weight in basis points),
    perpetuals and European options (strike, expiry_days, annualised implied vol),
    and a scenario grid: S = len(price_moves) * len(vol_moves) scenarios, each
    moving every spot and every vol by a relative amount (-0.2 is -20%).

    With an [oracle] table instead of spots and vols, the prices come from the
    --source files: per underlying (and per option's vol), quotes older than
    max_age_seconds before --time are dropped, then those further than
    max_deviation_bps from the median of the rest; the price is the median of what
    remains, and fewer than `quorum` sources left is an error naming the price.
    The snapshot's "_generated.oracle" records every source's file and SHA-256 and,
    per price, the quotes used and those dropped with the reason (docs/oracle.md).

    Options are priced with Black-Scholes; each instrument is revalued in full in
    every scenario, and shocks[s] = value in scenario s - mark. Values become
    integers in quote minor units times 10**8 (docs/margin.md, "Market builder",
    says exactly how they are rounded). The snapshot's "_generated" object records
    the generator, its versions and the description's SHA-256; readers ignore it.

    Nothing is written if the description is invalid or a value does not fit.

    \b
    Examples:
      zksolvency market build examples/market.toml --out examples/market.json \\
          --source examples/sources/feed-a.json --source examples/sources/feed-b.json \\
          --source examples/sources/feed-c.json --time 1796126400
      zksolvency market build plain.toml --out m.json --report -
    """
    desc = read_description(description)
    record = None
    if sources or desc.oracle is not None:
        when = snapshot_time if snapshot_time is not None else int(clock.time())
        desc, record = resolve_prices(desc, [read_source(path) for path in sources], when)
    elif snapshot_time is not None:
        raise InputError("--time applies to price sources only; the description has no [oracle] table")
    result = build_market(desc, description.name, record)
    snapshot = market_to_json(result.market, result.generated)
    report_text = None
    if report_path is not None:
        report_text = json.dumps(report_to_obj(desc, result), indent=2, ensure_ascii=False) + "\n"
    atomic_write_text(out_path, snapshot)
    if report_path is not None and report_text is not None:
        if str(report_path) == "-":
            click.get_text_stream("stdout").write(report_text)
        else:
            atomic_write_text(report_path, report_text)
    m = result.market
    sizes = f"{len(m.assets)} assets, {len(m.instruments)} instruments, {m.scenarios} scenarios"
    click.echo(f"wrote {out_path}: {sizes}", err=True)


def _attach_signing_commands() -> None:
    """``market sign``, ``verify`` and ``register`` live in their own module."""
    from zksolvency.cli.market_signing_cmd import register_cmd, sign_cmd, verify_cmd

    for command in (sign_cmd, verify_cmd, register_cmd):
        market.add_command(command)


_attach_signing_commands()
