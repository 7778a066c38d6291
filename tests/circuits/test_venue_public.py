"""The auditor's checks of a venue batch's public signals (no circuit compiled: the vector is
built as the prove test's ``public`` is; that test also runs the check on a real proof)."""

from __future__ import annotations

from tests.circuits.venue_fixtures import ROUND_ID, TEST, honest_inputs, market
from zksolvency.bn254 import R
from zksolvency.circuit.venue_inputs import transcript_of
from zksolvency.circuit.venue_public import check_venue_public, expected_table, public_count
from zksolvency.model import Asset, Market


def _public() -> list[int]:
    inputs = honest_inputs()
    commitment = transcript_of(inputs, TEST).commitment
    return [commitment, *expected_table(market(), TEST), int(inputs["marketHash"]), ROUND_ID]  # type: ignore[call-overload]


def test_honest_public_signals_pass_and_give_the_commitment() -> None:
    public = _public()
    assert len(public) == public_count(TEST) == 51
    check = check_venue_public(public, market(), TEST, ROUND_ID)
    assert check and check.commitment == public[0]


def test_a_changed_shock_is_named() -> None:
    public = _public()
    shock_start = 1 + 2 * TEST.assets + TEST.instruments
    public[shock_start + 3] = (public[shock_start + 3] + 1) % R
    check = check_venue_public(public, market(), TEST, ROUND_ID)
    assert not check and f"public table value {shock_start + 2}" in check.reason


def test_another_snapshot_is_refused() -> None:
    other = market()
    cheaper = Market(
        (Asset(other.assets[0].name, other.assets[0].price + 1, other.assets[0].weight), *other.assets[1:]),
        other.instruments,
        other.scenarios,
    )
    assert not check_venue_public(_public(), cheaper, TEST, ROUND_ID)


def test_wrong_market_hash_round_or_length_is_refused() -> None:
    public = _public()
    assert "marketHash" in check_venue_public([*public[:-2], 7, ROUND_ID], market(), TEST, ROUND_ID).reason
    assert "roundId" in check_venue_public(public, market(), TEST, ROUND_ID + 1).reason
    assert "public signals" in check_venue_public(public[:-1], market(), TEST, ROUND_ID).reason
