"""Hand-built witnesses that bypass the witness calculator must not satisfy the solvency circuit.

Each attack starts from a valid witness (its twin: that witness satisfies every constraint),
changes what a cheating prover would change, repairs every hint it can (bits, products,
hashes) so that the failure is the check the attack targets, and asserts that a constraint
of that check fails. Circuit: ``SolvencyBatch(2, 2, 4, 4)`` as main (every output public).
"""

from __future__ import annotations

import pytest

from tests.circuits.test_solvency_fixtures import (
    ROUND_ID,
    SMALL,
    Circuit,
    debug_batch,
    hash_vector,
    inputs_for,
    set_bits,
    transplant,
    unchecked_batch,
    worked_account,
)
from zksolvency.bn254 import R
from zksolvency.circuit.solvency_outputs import read_batch_outputs
from zksolvency.errors import InputError
from zksolvency.ledger import pack_sums
from zksolvency.model import Account, Instrument, Market, evaluate

W = 10_000
ACC = "main.margin[0]"
#: AccountMargin's rule (ranges, equity, requirement): AccountRule, circuits/lib/margin.circom.
RULE = f"{ACC}.rule"


def _valid() -> tuple[Circuit, list[int]]:
    market, account = worked_account()
    other = Account("bob", (5, 7), (3,), (11,))
    circuit = debug_batch()
    witness = circuit.witness(inputs_for(market, [account, other]))
    assert circuit.failing_names(witness) is None  # the twin: the honest witness holds
    return circuit, witness


def _fails_in(circuit: Circuit, witness: list[int], component: str) -> list[set[str]]:
    failing = circuit.all_failing(witness)
    assert failing, "the forged witness satisfies every constraint"
    assert any(any(name.startswith(component) for name in names) for names in failing), failing
    return failing


def _put(circuit: Circuit, witness: list[int], name: str, value: int) -> None:
    """Set a signal, unless --O2 folded it into a linear combination of others (then the
    signals it is made of carry the value)."""
    index = circuit.sym[name]
    if index >= 0:
        witness[index] = value % R


def _price_weight(circuit: Circuit, witness: list[int], asset: int) -> int:
    return (
        witness[circuit.index(f"main.price[{asset}]")] * witness[circuit.index(f"main.weight[{asset}]")] % R
    )


def test_negative_balance_encoded_as_r_minus_x_is_refused() -> None:
    circuit, witness = _valid()
    forged = list(witness)
    fake = R - 5  # "-5"
    forged[circuit.index("main.balance[0][0]")] = fake
    set_bits(forged, circuit, f"{RULE}.balanceRange[0].bits", fake, 64)
    forged[circuit.index(f"{RULE}.collateral.term[0]")] = fake * _price_weight(circuit, forged, 0) % R
    _fails_in(circuit, forged, f"{RULE}.balanceRange[0].bits")


def test_product_that_would_overflow_is_refused() -> None:
    """balance = target / (price * weight) in the field: the product wraps to any collateral."""
    circuit, witness = _valid()
    forged = list(witness)
    target = 10**40  # a forged collateral far beyond what the account holds
    pw = _price_weight(circuit, forged, 0)
    fake = target * pow(pw, -1, R) % R
    assert fake >= 2**64  # as an integer the product would be astronomically large
    forged[circuit.index("main.balance[0][0]")] = fake
    set_bits(forged, circuit, f"{RULE}.balanceRange[0].bits", fake, 64)
    forged[circuit.index(f"{RULE}.collateral.term[0]")] = target
    _fails_in(circuit, forged, f"{RULE}.balanceRange[0].bits")


def test_position_of_2_64_is_refused() -> None:
    circuit, witness = _valid()
    forged = list(witness)
    fake = 2**64
    forged[circuit.index("main.size[0][0]")] = fake
    shifted = fake + 2**64
    set_bits(forged, circuit, f"{RULE}.sizeRange[0].bits", shifted, 65)
    forged[circuit.index(f"{RULE}.sizeRange[0].inverse")] = pow(shifted, -1, R)
    _fails_in(circuit, forged, f"{RULE}.sizeRange[0].bits")


def test_requirement_from_a_scenario_other_than_the_worst_is_refused() -> None:
    """Worked example: losses (unscaled) [-2e16, 0, 3e16, 9e16]; claim 3e16 (scenario 2)."""
    circuit, witness = _valid()
    worst = f"{RULE}.worst"
    # MaxWithZero(S, LB) with LB = bitLength(I (2^64-1)^2) = 129 bits at I = 2.
    lb_bits = sum(1 for n in circuit.sym if n.startswith(f"{worst}.nonNegative.out["))
    assert lb_bits == 129
    losses = [-2 * 10**16, 0, 3 * 10**16, 9 * 10**16]
    assert witness[circuit.index("main.requirement[0]")] == W * 9 * 10**16
    fake = 3 * 10**16
    forged = list(witness)
    _put(circuit, forged, f"{worst}.out", fake)
    set_bits(forged, circuit, f"{worst}.nonNegative", fake, lb_bits)
    for s, loss in enumerate(losses):
        set_bits(forged, circuit, f"{worst}.above[{s}]", fake - loss, lb_bits + 1)
    chain = fake
    _put(circuit, forged, f"{worst}.chain[0]", chain)
    for s, loss in enumerate(losses):
        chain = chain * (fake - loss) % R
        _put(circuit, forged, f"{worst}.chain[{s + 1}]", chain)
    forged[circuit.index("main.requirement[0]")] = W * fake
    equity = witness[circuit.index("main.equity[0]")]
    solvent_bits = sum(1 for n in circuit.sym if n.startswith(f"{ACC}.solvent.bits.out["))
    set_bits(forged, circuit, f"{ACC}.solvent.bits", equity - W * fake, solvent_bits)
    failing = _fails_in(circuit, forged, f"{worst}.above[3]")
    # Every other hint was repaired: the only failure is "requirement >= loss of scenario 3".
    assert all(any(n.startswith(f"{worst}.above[3]") for n in names) for names in failing), failing


def _forge_root(circuit: Circuit, witness: list[int], sums: list[int], cost: int) -> tuple[list[int], int]:
    """The honest witness with the root node's sums and the cost sum replaced by ``sums`` and
    ``cost``, and every hash above them (node, sums hash, commitment) recomputed over the lie."""
    out = read_batch_outputs(circuit.sym, witness, SMALL)
    forged = list(witness)
    packed = pack_sums(sums, 1)
    node_hash = hash_vector(4 + len(packed))
    node_witness = node_hash.witness({"in": [*out.leaves, *packed]})
    assert transplant(forged, circuit, "main.node[0].h.", node_witness, node_hash, "main.") > 0
    root = node_witness[1]
    forged[circuit.index("main.root")] = root
    vector = [*sums, cost]
    sums_hash = hash_vector(len(vector))
    sums_witness = sums_hash.witness({"in": [v % R for v in vector]})
    transplant(forged, circuit, "main.sumsH.", sums_witness, sums_hash, "main.")
    forged[circuit.index("main.sumsHash")] = sums_witness[1]
    top = hash_vector(4)
    top_witness = top.witness({"in": [root, sums_witness[1], out.market_hash, ROUND_ID]})
    transplant(forged, circuit, "main.top.", top_witness, top, "main.h[0].")
    forged[circuit.index("main.commitment")] = top_witness[1]
    return forged, out.cost_sum


def test_node_with_a_sum_that_does_not_match_its_children_is_refused() -> None:
    """The root claims balance sum + 1 for asset 0, with every hash recomputed over the lie."""
    circuit, witness = _valid()
    out = read_batch_outputs(circuit.sym, witness, SMALL)
    sums = [*out.balance_sums, *out.position_sums]
    same, _ = _forge_root(circuit, witness, sums, out.cost_sum)
    assert circuit.failing_names(same) is None  # the twin: the recomputation itself is faithful
    forged, _ = _forge_root(circuit, witness, [sums[0] + 1, *sums[1:]], out.cost_sum)
    forged[circuit.index("main.balanceSum[0]")] = sums[0] + 1
    # --O2 folds the node's sums into the output wire balanceSum[0]: the constraint that
    # ties it to the children's balances is the one that fails.
    _fails_in(circuit, forged, "main.balanceSum[0]")


def test_a_cost_sum_that_is_not_the_leaves_total_is_refused() -> None:
    """The batch claims a cost sum 2**127 higher (hiding an invented account's premium), hashes redone."""
    circuit, witness = _valid()
    out = read_batch_outputs(circuit.sym, witness, SMALL)
    sums = [*out.balance_sums, *out.position_sums]
    forged, _ = _forge_root(circuit, witness, sums, out.cost_sum + 2**127)
    _put(circuit, forged, "main.costSum", out.cost_sum + 2**127)
    # costSum is a linear combination of the leaves' costTotal: the constraint that ties
    # the output wire to it is the one that fails.
    _fails_in(circuit, forged, "main.costSum")


def _forged_from_unchecked(market: Market, accounts: list[Account]) -> tuple[Circuit, list[int]]:
    """A witness of the real circuit for accounts the calculator refuses: every signal the
    circuit without the solvency check computes, copied over by name."""
    circuit = debug_batch()
    with pytest.raises(InputError, match="rejected"):
        circuit.witness(inputs_for(market, accounts))
    unchecked = unchecked_batch()
    source = unchecked.witness(inputs_for(market, accounts))
    forged = [0] * circuit.r1cs.n_wires
    forged[0] = 1
    assert transplant(forged, circuit, "main.", source, unchecked, "main.") > 0
    return circuit, forged


def test_insolvent_account_with_a_hand_built_witness_is_refused() -> None:
    """MARGIN.md's insolvent variant (equity 1e21 < requirement 9e21): every signal is honest
    except the solvency bits, which carry the low bits of (equity - requirement) mod r. Only
    the check ``equity - requirement >= 0`` fails."""
    market, account = worked_account(insolvent=True)
    result = evaluate(account, market)
    assert not result.solvent
    circuit, forged = _forged_from_unchecked(market, [account])
    bits = sum(1 for n in circuit.sym if n.startswith(f"{ACC}.solvent.bits.out["))
    set_bits(forged, circuit, f"{ACC}.solvent.bits", result.equity - result.requirement, bits)
    failing = _fails_in(circuit, forged, f"{ACC}.solvent")
    assert all(any(n.startswith(f"{ACC}.solvent") for n in names) for names in failing), failing


def test_solvent_account_with_the_same_construction_satisfies_every_constraint() -> None:
    """Twin: the same transplant for the solvent worked example, with the solvency bits set
    the same way, satisfies every constraint (so the attack above fails only because of the
    sign of equity - requirement)."""
    market, account = worked_account()
    result = evaluate(account, market)
    circuit = debug_batch()
    unchecked = unchecked_batch()
    source = unchecked.witness(inputs_for(market, [account]))
    forged = [0] * circuit.r1cs.n_wires
    forged[0] = 1
    transplant(forged, circuit, "main.", source, unchecked, "main.")
    bits = sum(1 for n in circuit.sym if n.startswith(f"{ACC}.solvent.bits.out["))
    set_bits(forged, circuit, f"{ACC}.solvent.bits", result.equity - result.requirement, bits)
    assert circuit.all_failing(forged) == []


def test_position_of_minus_2_64_is_refused() -> None:
    """size = -2**64: shifted = 0 decomposes, so the inverse (shifted != 0) must catch it."""
    circuit, witness = _valid()
    forged = list(witness)
    fake = -(2**64)
    forged[circuit.index("main.size[0][0]")] = fake % R
    set_bits(forged, circuit, f"{RULE}.sizeRange[0].bits", 0, 65)
    _put(circuit, forged, f"{RULE}.sizeRange[0].inverse", 0)
    _fails_in(circuit, forged, f"{RULE}.sizeRange[0]")


def test_cost_total_of_2_cb_is_refused() -> None:
    """costTotal = 2**CB (CB = 129 at I = 2) would add W 2**129 of equity: its range check fails."""
    circuit, witness = _valid()
    forged = list(witness)
    cb = sum(1 for n in circuit.sym if n.startswith(f"{RULE}.costRange.bits.out[")) - 1
    assert cb == 129
    fake = -(2**cb)  # a cost total of -2**129 (premium "received") inflates equity
    forged[circuit.index("main.costTotal[0]")] = fake % R
    set_bits(forged, circuit, f"{RULE}.costRange.bits", fake + 2**cb, cb + 1)
    _put(circuit, forged, f"{RULE}.costRange.inverse", 0)
    _fails_in(circuit, forged, f"{RULE}.costRange")


def test_batch_hashed_with_a_different_market_is_refused() -> None:
    """Accounts checked against one snapshot, public value built from another."""
    market, account = worked_account()
    other = Account("bob", (5, 7), (3,), (11,))
    circuit = debug_batch()
    honest = circuit.witness(inputs_for(market, [account, other]))
    inst = market.instruments[0]
    kinder = Market(market.assets, (Instrument(inst.name, inst.mark * 2, inst.shocks),), 4)
    published = circuit.witness(inputs_for(kinder, [account, other]))
    assert circuit.failing_names(published) is None
    forged = list(honest)
    transplant(forged, circuit, "main.market.", published, circuit, "main.market.")
    transplant(forged, circuit, "main.top.", published, circuit, "main.top.")
    for name in ("main.marketHash", "main.commitment"):
        forged[circuit.index(name)] = published[circuit.index(name)]
    assert forged[circuit.index("main.commitment")] != honest[circuit.index("main.commitment")]
    _fails_in(circuit, forged, "main.market.")
