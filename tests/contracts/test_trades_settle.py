"""``zksolvency trades``: prove batches on a state folder, verify them alone, settle them on anvil.

Test size (``trades-test``: A = 2, I = 2, S = 4, depth 4, 2 trades per batch); the accounts,
market and keys are the trade tests' builders. Every success has its failure twin: a tampered
folder fails ``verify``; a refused trade writes nothing and leaves the state as it was; a batch
settled twice, or out of order, or whose snapshot the committee has not signed (as a
TradeSnapshot), is refused before any transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.quorum_cases import BAD_QUORUMS
from tests.trades import builders
from zksolvency.chain.anvil import AnvilNode
from zksolvency.chain.keys import ANVIL_DEV_KEY, PRIVATE_KEY_ENV
from zksolvency.chain.settlement import read_gate, read_settlement
from zksolvency.cli.main import cli
from zksolvency.model.market import market_to_json
from zksolvency.oracle.demo_committee import DEMO_KEYS
from zksolvency.oracle.signatures_file import read_signatures, signatures_to_text
from zksolvency.oracle.signer_key import SIGNER_KEY_ENV
from zksolvency.orders.order import Order, format_order_line
from zksolvency.state.store import create_state, read_state

pytestmark = [pytest.mark.snarkjs, pytest.mark.slow]

CIRCUIT = "trades-test"
COMMITTEE = Path(__file__).resolve().parents[2] / "examples" / "committee-demo.json"
#: The stand-in snapshot time the committee signs (the builders' market records none).
SNAPSHOT_TIME = 1_796_126_400


def _invoke(args: Sequence[str], env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def _write_orders(path: Path, orders: Sequence[Order]) -> Path:
    path.write_text("".join(format_order_line(o) + "\n" for o in orders), encoding="utf-8")
    return path


def _write_trades(path: Path, trades: Sequence[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(t) + "\n" for t in trades), encoding="utf-8")
    return path


@pytest.fixture()
def venue(tmp_path: Path) -> Path:
    """A state folder of the builders' accounts and the market beside it."""
    create_state(tmp_path / "state", builders.state())
    (tmp_path / "market.json").write_text(market_to_json(builders.market()), encoding="utf-8")
    return tmp_path


def _prove(venue: Path, name: str, orders: Sequence[Order], trades: Sequence[dict[str, object]]) -> Result:
    return _invoke(
        [
            "trades", "prove", "--state", str(venue / "state"), "--market", str(venue / "market.json"),
            "--orders", str(_write_orders(venue / f"{name}.orders.jsonl", orders)),
            "--trades", str(_write_trades(venue / f"{name}.trades.jsonl", trades)),
            "--out", str(venue / name), "--circuit", CIRCUIT,
            "--batch-time", str(builders.BATCH_TIME), "--fee-bps", str(builders.FEE_BPS),
        ]
    )  # fmt: skip


def _first_batch(venue: Path) -> Result:
    orders = [
        builders.order("alice", "buy", 2, builders.MARK_CALL + 10**14),
        builders.order("bob", "sell", 2, builders.MARK_CALL - 10**14),
    ]
    return _prove(
        venue, "batch-0", orders, [{"buy": 0, "sell": 1, "size": "1", "price": str(builders.MARK_CALL)}]
    )


def _second_batch(venue: Path) -> Result:
    orders = [
        builders.order("alice", "buy", 1, builders.MARK_CALL + 10**14, nonce=1),
        builders.order("bob", "sell", 1, builders.MARK_CALL - 10**14, nonce=1),
    ]
    return _prove(
        venue, "batch-1", orders, [{"buy": 0, "sell": 1, "size": "1", "price": str(builders.MARK_CALL)}]
    )


def test_a_batch_proves_verifies_and_moves_the_state(venue: Path) -> None:
    before, old_root = read_state(venue / "state")
    result = _first_batch(venue)
    assert result.exit_code == 0, result.output
    after, new_root = read_state(venue / "state")
    batch = json.loads((venue / "batch-0" / "batch.json").read_text())
    assert int(batch["old_root"]) == old_root and int(batch["new_root"]) == new_root != old_root
    assert after.next_batch_id == before.next_batch_id + 1 == 1
    assert after.accounts[0].nonce == 1 and after.accounts[0].sizes[0] == 1
    assert "not from a verified ceremony" in result.stderr
    verified = _invoke(["trades", "verify", str(venue / "batch-0")])
    assert verified.exit_code == 0, verified.output
    assert "batch valid" in verified.output


def test_a_tampered_batch_folder_fails_verify(venue: Path) -> None:
    assert _first_batch(venue).exit_code == 0
    path = venue / "batch-0" / "batch.json"
    batch = json.loads(path.read_text())
    batch["new_root"] = str(int(batch["new_root"]) ^ 1)
    path.write_text(json.dumps(batch))
    verified = _invoke(["trades", "verify", str(venue / "batch-0")])
    assert verified.exit_code == 1, verified.output
    assert "FAIL commitment" in verified.output


def test_a_refused_trade_writes_nothing_and_leaves_the_state(venue: Path) -> None:
    manifest = (venue / "state" / "manifest.json").read_bytes()
    orders = [
        builders.forged(builders.order("alice", "buy", 2, builders.MARK_CALL + 10**14)),
        builders.order("bob", "sell", 2, builders.MARK_CALL - 10**14),
    ]
    result = _prove(
        venue, "batch-0", orders, [{"buy": 0, "sell": 1, "size": "1", "price": str(builders.MARK_CALL)}]
    )
    assert result.exit_code == 2, result.output
    assert "trade 0" in result.output and "signature" in result.output
    assert not (venue / "batch-0").exists()
    assert (venue / "state" / "manifest.json").read_bytes() == manifest


def test_two_batches_settle_on_anvil_in_order_only(venue: Path, node: AnvilNode) -> None:
    env = {PRIVATE_KEY_ENV: ANVIL_DEV_KEY}
    gate_file = venue / "gate.json"
    deployed = _invoke(
        ["trades", "deploy", "--state", str(venue / "state"), "--circuit", CIRCUIT, "--rpc-url", node.url,
         "--committee", str(COMMITTEE), "--out", str(gate_file)],
        env,
    )  # fmt: skip
    assert deployed.exit_code == 0, deployed.output
    assert "committee 3 of 5" in deployed.output
    assert _first_batch(venue).exit_code == 0
    assert _second_batch(venue).exit_code == 0
    # Out of order: batch 1 before batch 0 is refused before any transaction.
    early = _invoke(["trades", "settle", str(venue / "batch-1"), "--deployment", str(gate_file)], env)
    assert early.exit_code == 2 and "settle the batches in the order" in early.output
    # The gate does not know the snapshot and nobody signed it: refused, nothing sent.
    unsigned = _invoke(["trades", "settle", str(venue / "batch-0"), "--deployment", str(gate_file)], env)
    assert unsigned.exit_code == 2 and "the gate does not know snapshot" in unsigned.output
    verify = ["trades", "verify", str(venue / "batch-0"), "--committee", str(COMMITTEE)]
    nothing = _invoke(verify)
    assert nothing.exit_code == 1 and "FAIL snapshot signatures: no " in nothing.output, nothing.output
    snapshot = venue / "batch-0" / "market.json"
    sign = [
        "market",
        "sign",
        str(snapshot),
        "--chain-id",
        "31337",
        "--size",
        "test",
        "--time",
        str(SNAPSHOT_TIME),
    ]
    # The registry's MarketSnapshot signatures are not the gate's: refused here, nothing sent.
    for key in DEMO_KEYS[:3]:
        assert _invoke(sign, {SIGNER_KEY_ENV: key}).exit_code == 0
    market_signed = _invoke(
        ["trades", "settle", str(venue / "batch-0"), "--deployment", str(gate_file),
         "--signatures", str(venue / "batch-0" / "market.signatures.json")],
        env,
    )  # fmt: skip
    assert market_signed.exit_code == 2 and "not a TradeSnapshot" in market_signed.output
    wrong_type = _invoke([*verify, "--signatures", str(venue / "batch-0" / "market.signatures.json")])
    assert wrong_type.exit_code == 1 and "not a TradeSnapshot" in wrong_type.output
    assert read_gate(read_settlement(gate_file), node.url).next_batch_id == 0
    for key in DEMO_KEYS[:3]:
        signed = _invoke([*sign, "--for", "trades"], {SIGNER_KEY_ENV: key})
        assert signed.exit_code == 0, signed.output
    assert "(trade snapshot)" in signed.output
    checked = _invoke(verify)
    assert checked.exit_code == 0 and "ok   committee quorum" in checked.output, checked.output
    short = venue / "two-of-five.json"
    trade_file = venue / "batch-0" / "market.trade-signatures.json"
    short.write_text(signatures_to_text(BAD_QUORUMS["2 of 5"](read_signatures(trade_file).message)))
    two = _invoke([*verify, "--signatures", str(short)])
    assert two.exit_code == 1 and "FAIL committee quorum" in two.output, two.output
    for name in ("batch-0", "batch-1"):
        settled = _invoke(["trades", "settle", str(venue / name), "--deployment", str(gate_file)], env)
        assert settled.exit_code == 0, settled.output
    _, root = read_state(venue / "state")
    gate = read_gate(read_settlement(gate_file), node.url)
    assert (gate.root, gate.next_batch_id) == (root, 2)
    again = _invoke(["trades", "settle", str(venue / "batch-0"), "--deployment", str(gate_file)], env)
    assert again.exit_code == 2, again.output
