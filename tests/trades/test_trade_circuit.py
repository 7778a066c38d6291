"""The trade batch circuit at the test size (A = 2, I = 2, S = 4, D = 4, T = 2).

Valid batches: the calculator's witness satisfies every constraint and its two public
signals are the Python ones. Attacks: the inputs of a batch the Python rules refuse (built
with every refusal disabled, what a cheating prover would feed the circuit), a witness
computed by the circuit's own code without stopping at a failed assertion (bypassing the
calculator), and a constraint of the targeted check must fail. Each success test has its
failure twin.
"""

from __future__ import annotations

import dataclasses

import pytest

from zksolvency.bn254 import R
from zksolvency.circuit.formats.r1cs import first_unsatisfied_constraint
from zksolvency.errors import InputError
from zksolvency.trades import (
    TEST_SIZE,
    MatchedTrade,
    batch_public,
    execute,
    fee_for,
    snapshot_hash,
    trade_hash,
    trades_commitment,
)
from zksolvency.trades import execution as execution_module
from zksolvency.trades.snapshot import public_commitment

from . import cases
from .builders import BATCH_ID, BATCH_TIME, FEE_BPS, account, market, order, run, state
from .circuit import assert_fails_in, failing, forged_witness, inputs_of, trade_circuit, unchecked_inputs


def _public(case: cases.Case) -> tuple[int, int]:
    return batch_public(
        run(case.orders, case.trades), market(), TEST_SIZE, BATCH_ID, BATCH_TIME, FEE_BPS
    ).signals


def test_valid_batch_satisfies_the_circuit_and_matches_python() -> None:
    case = cases.two_trades()
    circuit = trade_circuit()
    witness = circuit.witness(inputs_of(run(case.orders, case.trades)))
    assert first_unsatisfied_constraint(circuit.r1cs, witness) is None
    assert circuit.r1cs.n_public == 2 and circuit.r1cs.n_pub_inputs == 0
    assert tuple(witness[1:3]) == _public(case)


def test_valid_batch_with_another_fee_rate_has_another_header() -> None:
    case = cases.two_trades()
    circuit = trade_circuit()
    witness = circuit.witness(inputs_of(run(case.orders, case.trades), fee_bps=FEE_BPS))
    other = circuit.witness(inputs_of(run(case.orders, case.trades, FEE_BPS + 1), fee_bps=FEE_BPS + 1))
    assert other[2] == witness[2] + 1 and other[1] != witness[1]  # fees change the new root too


def test_liquidation_with_padding_satisfies_the_circuit() -> None:
    case = cases.liquidation()
    circuit = trade_circuit()
    witness = circuit.witness(inputs_of(run(case.orders, case.trades)))
    assert first_unsatisfied_constraint(circuit.r1cs, witness) is None
    assert tuple(witness[1:3]) == _public(case)


def test_padding_cannot_move_the_state() -> None:
    """A padding slot given a real account's update (kind 0): the root stays, the witness holds,
    and the public commitment is that of a batch without the trade."""
    case = cases.liquidation()
    circuit = trade_circuit()
    inputs = inputs_of(run(case.orders, case.trades))
    padded = dict(inputs)
    padded["kind"] = [0, 0]
    padded["liqBuyer"] = [0, 0]
    padded["sel"] = [[0, 0], [0, 0]]
    for key in ("q", "p"):
        padded[key] = [0, 0]
    witness = forged_witness(padded)
    assert failing(witness) == []
    none = circuit.witness(inputs_of(run((), ())))
    assert witness[1:3] == none[1:3]


def test_padding_that_claims_a_size_still_keeps_the_root() -> None:
    """Kind 0 with a nonzero q: every constraint holds, the commitment names that trade hash
    (messages 0), and old root = new root: padding is inert whatever it claims. (A nonzero p
    fails the band: the padding's selected mark is 0.)"""
    case = cases.liquidation()
    inputs = inputs_of(run(case.orders, case.trades))
    inputs["kind"] = [0, 0]
    inputs["liqBuyer"] = [0, 0]
    inputs["sel"] = [[0, 0], [0, 0]]
    inputs["p"] = [0, 0]
    witness = forged_witness(inputs)
    assert failing(witness) == []
    root = state().tree().root
    claimed = trade_hash(0, 0, 0, 2, 0)
    snapshot = snapshot_hash(market(), TEST_SIZE)
    assert witness[1] == public_commitment(root, root, snapshot, trades_commitment([claimed], 2))


def test_the_same_account_on_both_sides_of_a_trade() -> None:
    orders = (order("bob", "buy", 1, cases.HIGH), order("bob", "sell", 1, cases.LOW, nonce=1))
    ex = run(orders, (MatchedTrade(0, 1, 1, cases.P),))
    assert ex.accounts[1].sizes == (0, 0) and ex.accounts[1].nonce == 2
    circuit = trade_circuit()
    witness = circuit.witness(inputs_of(ex))
    assert first_unsatisfied_constraint(circuit.r1cs, witness) is None


def test_the_same_account_on_both_sides_with_one_nonce_fails() -> None:
    orders = (order("bob", "buy", 1, cases.HIGH), order("bob", "sell", 1, cases.LOW, nonce=0))
    with pytest.raises(InputError, match=r"trade 0: sell\.nonce"):
        run(orders, (MatchedTrade(0, 1, 1, cases.P),))


@pytest.mark.parametrize("name", sorted(cases.attacks()))
def test_attack_with_a_hand_built_witness_fails_the_constraints(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = cases.attacks()[name]
    inputs, refused = unchecked_inputs(monkeypatch, case.orders, case.trades)
    assert any(f": {case.field}:" in r for r in refused), refused  # the twin: Python refuses it
    with pytest.raises(InputError):
        trade_circuit().witness(inputs)  # the calculator refuses it too
    assert_fails_in(forged_witness(inputs), case.component)


def test_position_update_with_a_2_64_wrap_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """alice holds 2^64 - 1 calls and buys 2: the packed leaf would alias (2^64 + 1 overflows its
    65-bit digit); the leaf is computed with the circuit's own unchecked packing."""
    near = account("alice", 0, 10**15, (2**64 - 1, 0), 0)
    base = state()
    wrapped = dataclasses.replace(base, accounts=(near, *base.accounts[1:]))
    monkeypatch.setattr("tests.trades.circuit.state", lambda: wrapped)
    orders = (order("alice", "buy", 2, cases.HIGH), order("bob", "sell", 2, cases.LOW))
    inputs, refused = unchecked_inputs(monkeypatch, orders, (MatchedTrade(0, 1, 2, cases.P),), pack=True)
    assert any("buy.position" in r for r in refused), refused
    assert_fails_in(forged_witness(inputs), f"{cases.BUY}.rule.sizeRange[0]")


def test_position_update_just_below_2_64_holds() -> None:
    near = account("alice", 0, 10**15, (2**64 - 3, 0), 0)
    wrapped = dataclasses.replace(state(), accounts=(near, *state().accounts[1:]))
    orders = (order("alice", "buy", 2, cases.HIGH), order("bob", "sell", 2, cases.LOW))
    ex = execute(wrapped, market(), orders, (MatchedTrade(0, 1, 2, cases.P),), BATCH_TIME, FEE_BPS)
    assert ex.accounts[0].sizes[0] == 2**64 - 1
    witness = trade_circuit().witness(inputs_of(ex))
    assert first_unsatisfied_constraint(trade_circuit().r1cs, witness) is None


FEE_HINT = "fee <-- (charged + W - 1) \\ W;"


def _fee_witness(monkeypatch: pytest.MonkeyPatch, delta: int) -> list[int]:
    """The two-trade batch executed with every fee off by ``delta``, in Python (so the paths
    match) and in the circuit's fee hint: a consistent witness but for the fee check."""
    monkeypatch.setattr(execution_module, "fee_for", lambda q, p, bps: fee_for(q, p, bps) + delta)
    case = cases.two_trades()
    inputs, _ = unchecked_inputs(monkeypatch, case.orders, case.trades)
    hint = None if delta == 0 else (FEE_HINT, FEE_HINT.replace(";", f" + ({delta});"))
    return forged_witness(inputs, hint)


@pytest.mark.slow  # two more compiles of the permissive circuit (the fee hint off by -1, +1)
def test_wrong_fee_fails_the_fee_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """The prover charges one unit less, or one more: 10^4 fee - q abs(p) fee_bps leaves [0, 10^4)."""
    assert_fails_in(_fee_witness(monkeypatch, -1), "main.batch.trade[0].remLow")
    assert_fails_in(_fee_witness(monkeypatch, +1), "main.batch.trade[0].remHigh")


def test_honest_fee_is_the_ceiling(monkeypatch: pytest.MonkeyPatch) -> None:
    case = cases.two_trades()
    circuit = trade_circuit()
    witness = circuit.witness(inputs_of(run(case.orders, case.trades)))
    assert witness[circuit.index("main.batch.trade[0].fee")] == -(-(2 * cases.P * FEE_BPS) // 10_000)
    assert failing(_fee_witness(monkeypatch, 0)) == []


def test_wrong_old_root_fails_the_root_transition() -> None:
    case = cases.two_trades()
    inputs = inputs_of(run(case.orders, case.trades))
    inputs["oldRoot"] = (int(inputs["oldRoot"]) + 1) % R  # type: ignore[call-overload]
    assert_fails_in(forged_witness(inputs), f"{cases.BUY}.path.oldRoot")


def test_wrong_sibling_fails_the_root_transition() -> None:
    case = cases.two_trades()
    inputs = inputs_of(run(case.orders, case.trades))
    siblings = inputs["sibling"]
    assert isinstance(siblings, list)
    siblings[0][1][3] = (siblings[0][1][3] + 1) % R  # the seller's top sibling, first trade
    assert_fails_in(forged_witness(inputs), f"{cases.SELL}.path.oldRoot")


def test_right_root_and_siblings_hold_under_the_lenient_calculator() -> None:
    case = cases.two_trades()
    assert failing(forged_witness(inputs_of(run(case.orders, case.trades)))) == []
