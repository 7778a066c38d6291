"""Circuit families: each manifest list has one owner, and the contract sources follow the family."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zksolvency.chain.artifact import render_sources
from zksolvency.chain.errors import ChainError
from zksolvency.circuit.formats.snarkjs_json import VerificationKey
from zksolvency.errors import SetupError
from zksolvency.families import (
    FAMILIES,
    MANIFEST,
    SOLVENCY,
    TRADES,
    check_manifest_lists,
    family,
    manifest_entries,
)
from zksolvency.round.ceremony_keys import find_circuit
from zksolvency.trades.circuits import trade_circuits


def _vkey(n_public: int) -> VerificationKey:
    g1 = (1, 2)
    g2 = ((10857046999023057135944570762232829481370756359578518086990519993285655852781,
           11559732032986387107991004021392285783925812861821192530917403151452391805634),
          (8495653923123431417604973247489272438418190587263600148770280649306958101930,
           4082367875863433681332203403145435568316851327593401208105741076214120093531))  # fmt: skip
    return VerificationKey(n_public, g1, g2, g2, g2, [g1] * (n_public + 1))


def test_every_manifest_list_has_one_family() -> None:
    check_manifest_lists()
    owned = {name for f in FAMILIES.values() for name in f.manifest_lists}
    assert owned == {k for k in json.loads(MANIFEST.read_text()) if not k.startswith("_")}


def test_a_manifest_list_of_no_family_is_refused(tmp_path: Path) -> None:
    document = json.loads(MANIFEST.read_text())
    document["orphan"] = []
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(document))
    with pytest.raises(SetupError, match="orphan"):
        check_manifest_lists(path)


def test_a_family_reads_only_its_own_lists() -> None:
    assert manifest_entries(TRADES, "trades") and manifest_entries(SOLVENCY, "root")
    with pytest.raises(SetupError, match="does not belong to family 'trades'"):
        manifest_entries(TRADES, "solvency")
    with pytest.raises(SetupError, match="no circuit family"):
        family("options")


def test_contract_sources_follow_the_family() -> None:
    trades = render_sources(_vkey(2), TRADES)
    solvency = render_sources(_vkey(1), SOLVENCY)
    assert "SettlementGate.sol" in trades and "SolvencyRegistry.sol" not in trades
    assert "SolvencyRegistry.sol" in solvency and "SettlementGate.sol" not in solvency
    assert {"Groth16Verifier.sol", "PoseidonT5.sol"} <= set(trades) & set(solvency)


def test_the_gate_refuses_a_key_with_one_public_input() -> None:
    with pytest.raises(ChainError, match="2 public inputs; this one has 1"):
        render_sources(_vkey(1), TRADES)


def test_ceremony_install_finds_circuits_of_both_families() -> None:
    name = trade_circuits()[0].name
    assert find_circuit(name).name == name
    assert find_circuit("node-test-4").slots == 4
    with pytest.raises(SetupError, match="no circuit 'trades-nowhere'"):
        find_circuit("trades-nowhere")
