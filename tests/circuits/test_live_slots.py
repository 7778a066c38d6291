"""Batch circuits whose last slots are fixed padding: ``SolvencyBatch(A, I, S, B, L)`` with ``L < B``.

``LIVE`` is the test size with three live slots of four (``main_test_l3.circom``). What must
hold: the batch commits to exactly what a four-slot batch commits to for the same accounts
(tree, sums, commitment), the fixed slot costs no constraint of the rule, and a live slot is
checked exactly as in the four-slot circuit. Each success test has its failure twin.
"""

from __future__ import annotations

import pytest

from tests.circuits.test_solvency_fixtures import (
    ROUND_ID,
    SMALL,
    debug_batch,
    entries,
    inputs_for,
    production,
    set_bits,
    transplant,
    unchecked_batch,
    worked_account,
)
from zksolvency.circuit.solvency_inputs import CircuitSize, batch_inputs
from zksolvency.circuit.solvency_outputs import read_batch_outputs
from zksolvency.errors import InputError
from zksolvency.ledger import batch_digest
from zksolvency.ledger.batch import batch_leaves
from zksolvency.model import Account, Market, evaluate

#: The test size with slot 3 fixed to padding (``circuits/solvency/main_test_l3.circom``).
LIVE = CircuitSize(assets=2, instruments=2, scenarios=4, batch=4, live=3)
#: The last live slot's margin component.
LAST = "main.margin[2]"


def _three() -> tuple[Market, list[Account]]:
    market, alice = worked_account()
    bob = Account("bob", (0, 10**9), (1,), (5 * 10**16,))
    carol = Account("carol", (0, 10**9), (0,), (0,))
    return market, [alice, bob, carol]


def test_live_slots_commit_to_what_padded_slots_commit_to() -> None:
    """Three accounts in ``LIVE`` give the leaves, root, sums and commitment that the four-slot
    circuit gives for the same accounts plus padding, and that the Python ledger computes."""
    market, accounts = _three()
    live = debug_batch(LIVE)
    witness = live.witness(inputs_for(market, accounts, LIVE))
    assert live.failing_names(witness) is None
    out = read_batch_outputs(live.sym, witness, LIVE)
    full = debug_batch(SMALL)
    padded = read_batch_outputs(full.sym, full.witness(inputs_for(market, accounts, SMALL)), SMALL)
    digest = batch_digest(market, entries(accounts), LIVE, ROUND_ID)
    assert out.leaves == padded.leaves == tuple(leaf.hash() for leaf in digest.leaves)
    assert (out.root, out.sums_hash, out.commitment) == (padded.root, padded.sums_hash, padded.commitment)
    assert out.commitment == digest.commitment
    assert (out.equities[3], out.requirements[3]) == (0, 0)
    for k, account in enumerate(accounts):
        result = evaluate(account, market)
        assert (out.equities[k], out.requirements[k]) == (result.equity, result.requirement)


def test_live_slots_twin_other_accounts_commit_otherwise() -> None:
    """Twin: dropping the third account (its slot now padding) changes the commitment."""
    market, accounts = _three()
    live = debug_batch(LIVE)
    three = read_batch_outputs(live.sym, live.witness(inputs_for(market, accounts, LIVE)), LIVE)
    two = read_batch_outputs(live.sym, live.witness(inputs_for(market, accounts[:2], LIVE)), LIVE)
    assert three.commitment != two.commitment
    assert three.leaves[:2] == two.leaves[:2] and three.leaves[2] != two.leaves[2]


def test_a_fixed_slot_has_no_input_and_no_rule() -> None:
    """The shipped main takes inputs for three slots only, and saves one account's rule and leaf
    hash: at least the constraints of one ``AccountMargin`` fewer than the four-slot main."""
    live, full = production("main_test_l3"), production("main_test")
    assert "main.balance[2][0]" in live.sym and "main.balance[3][0]" not in live.sym
    assert "main.balance[3][0]" in full.sym
    debug_full, debug_live = debug_batch(SMALL), debug_batch(LIVE)
    rule = sum(1 for n in debug_full.sym if n.startswith("main.margin[3].") and debug_full.sym[n] > 0)
    assert rule > 1000
    saved = full.r1cs.n_constraints - live.r1cs.n_constraints
    assert saved >= rule // 2, (saved, rule)
    assert not any(n.startswith("main.margin[3].") for n in debug_live.sym)


def test_a_fixed_slot_twin_all_live_is_the_four_slot_circuit() -> None:
    """Twin: ``L = B`` is the four-slot circuit, constraint for constraint."""
    all_live = debug_batch(CircuitSize(2, 2, 4, 4, live=4))
    assert all_live.r1cs.n_constraints == debug_batch(SMALL).r1cs.n_constraints
    assert any(n.startswith("main.margin[3].") for n in all_live.sym)


def test_a_fourth_account_does_not_fit() -> None:
    market, accounts = _three()
    extra = Account("dave", (1, 0), (0,), (0,))
    with pytest.raises(ValueError, match="4 accounts do not fit a batch of 3"):
        batch_inputs(market, entries([*accounts, extra]), LIVE, ROUND_ID)
    with pytest.raises(ValueError, match="4 accounts do not fit a batch of 3"):
        batch_leaves(entries([*accounts, extra]), LIVE)
    # Twin: the same four fit the four-slot size.
    assert len(batch_inputs(market, entries([*accounts, extra]), SMALL, ROUND_ID)["costTotal"]) == 4  # type: ignore[arg-type]


def test_circuit_size_refuses_more_live_slots_than_slots() -> None:
    with pytest.raises(ValueError, match="live slots"):
        CircuitSize(2, 2, 4, 4, live=5)
    # Twin: no live count means every slot, and equals the explicit one.
    assert CircuitSize(2, 2, 4, 4) == CircuitSize(2, 2, 4, 4, live=4)
    assert CircuitSize(2, 2, 4, 4).live == 4


def _forged(accounts: list[Account], market: Market) -> list[int]:
    """A witness of ``LIVE`` for ``accounts``, whatever their solvency: every signal copied from
    the circuit without the solvency check, and each slot's solvency bits set to the low bits
    of ``(equity - requirement) mod r`` (what a cheating prover would put there)."""
    live, unchecked = debug_batch(LIVE), unchecked_batch(LIVE)
    source = unchecked.witness(inputs_for(market, accounts, LIVE))
    forged = [0] * live.r1cs.n_wires
    forged[0] = 1
    assert transplant(forged, live, "main.", source, unchecked, "main.") > 0
    for k, account in enumerate(accounts):
        prefix = f"main.margin[{k}].solvent.bits"
        bits = sum(1 for n in live.sym if n.startswith(f"{prefix}.out["))
        result = evaluate(account, market)
        set_bits(forged, live, prefix, result.equity - result.requirement, bits)
    return forged


def test_an_insolvent_account_in_the_last_live_slot_is_refused() -> None:
    """MARGIN.md's insolvent variant in slot 2 of ``LIVE``, every other signal honest (copied
    from the circuit without the solvency check): only that slot's solvency check fails."""
    market, insolvent = worked_account(insolvent=True)
    _, accounts = _three()
    batch = [accounts[1], accounts[2], insolvent]
    with pytest.raises(InputError, match="rejected"):
        debug_batch(LIVE).witness(inputs_for(market, batch, LIVE))
    failing = debug_batch(LIVE).all_failing(_forged(batch, market))
    assert failing and all(any(n.startswith(f"{LAST}.solvent") for n in names) for names in failing)


def test_an_insolvent_account_twin_solvent_in_the_same_slot_satisfies_everything() -> None:
    """Twin: the same construction with the solvent worked example in slot 2 satisfies every
    constraint, so the attack above fails only on the sign of equity - requirement."""
    market, alice = worked_account()
    _, accounts = _three()
    assert debug_batch(LIVE).all_failing(_forged([accounts[1], accounts[2], alice], market)) == []
