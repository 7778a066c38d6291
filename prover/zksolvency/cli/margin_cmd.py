"""``zksolvency margin``: equity, requirement and solvency of every account, by MARGIN.md's rule."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from zksolvency.cli.common import EXIT_NEGATIVE, EXIT_OK, accounts_format_option, handle_errors
from zksolvency.model.accounts import AccountFormat, read_accounts
from zksolvency.model.margin import MarginResult, evaluate
from zksolvency.model.market import read_market

_FILE = click.Path(dir_okay=False, path_type=Path)


def _json_line(result: MarginResult) -> str:
    return json.dumps(
        {
            "id": result.id,
            "equity": str(result.equity),
            "requirement": str(result.requirement),
            "solvent": result.solvent,
        },
        ensure_ascii=False,
    )


def _table(results: list[MarginResult]) -> list[str]:
    rows = [("id", "equity", "requirement", "solvent")]
    rows += [(r.id, str(r.equity), str(r.requirement), "yes" if r.solvent else "NO") for r in results]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    return [
        f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]}".rstrip()
        for row in rows
    ]


@click.command("margin")
@click.option(
    "--accounts",
    "accounts_path",
    required=True,
    type=_FILE,
    help="Accounts file: JSON Lines (.jsonl) or CSV (.csv).",
)
@click.option("--market", "market_path", required=True, type=_FILE, help="Market snapshot (JSON).")
@accounts_format_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per account and line.")
@handle_errors
def margin(accounts_path: Path, market_path: Path, fmt: AccountFormat, as_json: bool) -> None:
    """Check every account against the margin rule (spec/MARGIN.md) in exact integers.

    \b
      collateral  = sum over assets of balance * price * weight
      mark_value  = sum over instruments of (size * mark - cost) * 10000
      equity      = collateral + mark_value
      pnl[s]      = sum over instruments of size * shocks[s] * 10000
      requirement = max(0, worst loss -pnl[s] over the scenarios)
      solvent     = equity >= requirement

    Units: balances in asset minor units (satoshi, micro-USDC); prices, marks,
    shocks and costs in quote minor units times 10**8; weights in basis points.
    equity and requirement come out in quote minor units times 10**12: with a
    USD quote whose minor unit is 10**-6, 10**18 is one dollar.

    Both files are validated in full before anything is computed; a bad value
    is reported as FILE:LINE: field PATH: what is wrong.

    \b
    Output: per account id, equity, requirement, solvent (a table, or with
    --json one object per line, integers as decimal strings):
      {"id": "alice", "equity": "6400000000000000000000",
       "requirement": "900000000000000000000", "solvent": true}
    and on stderr a summary: "N accounts, K insolvent".

    \b
    Exit status: 0 all solvent, 1 some insolvent, 2 bad input.

    \b
    Example:
      zksolvency margin --accounts examples/accounts.jsonl \\
                        --market examples/market.json --json
    """
    market = read_market(market_path)
    accounts = read_accounts(accounts_path, market, fmt)
    results = [evaluate(account, market) for account in accounts]
    lines = [_json_line(r) for r in results] if as_json else _table(results)
    stdout = click.get_text_stream("stdout")
    stdout.write("".join(line + "\n" for line in lines))
    stdout.flush()
    insolvent = sum(1 for r in results if not r.solvent)
    click.echo(f"{len(results)} accounts, {insolvent} insolvent", err=True)
    sys.exit(EXIT_NEGATIVE if insolvent else EXIT_OK)
