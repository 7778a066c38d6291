"""Hand-built witnesses against the venue batch's lookup must not satisfy its constraints.

Each attack changes what a cheating prover would change, rebuilds every other value the way
that prover would (its claims consistent with its own slots, the multiplicities X and Z
recomputed for its own reads and the challenge its commitments give, every hint filled by
the lenient calculator of ``tests/circuits/venue_fixtures.py``, which has no assertions),
and checks the witness against the real R1CS: some constraint of the targeted check fails.
The twin of every attack is ``test_forged_witness_harness_reproduces_the_honest_witness``
(``tests/circuits/test_venue_circuit.py``): the same harness on honest inputs satisfies
every constraint.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

from tests.circuits.test_solvency_fixtures import set_bits
from tests.circuits.venue_fixtures import TEST, forge, honest_inputs, market, refresh, strict, value
from zksolvency.bn254 import R
from zksolvency.circuit.venue_inputs import Inputs, slot_index_width, transcript_of

W = 10_000
E16 = 10**16


def _failing(witness: list[int]) -> list[set[str]]:
    failing = strict().all_failing(witness)
    assert failing, "the forged witness satisfies every constraint"
    return failing


def _touches(failing: list[set[str]], *parts: str) -> bool:
    return any(any(part in name for part in parts for name in names) for names in failing)


def _claims(positions: Sequence[tuple[int, int]]) -> tuple[int, list[int]]:
    """markSum and pnl of the given position slots against the real table."""
    instruments = market().instruments
    mark_sum = sum(z * instruments[i].mark for i, z in positions if z)
    pnl = [sum(z * instruments[i].shocks[s] for i, z in positions if z) for s in range(4)]
    return mark_sum, pnl


def _with_positions(inputs: Inputs, b: int, positions: list[tuple[int, int]]) -> Inputs:
    """Account b's position slots replaced, its claims made consistent with them (as if the
    slots were honest reads), multiplicities refreshed."""
    out = copy.deepcopy(inputs)
    out["posIdx"][b] = [i for i, _ in positions]  # type: ignore[index]
    out["posSize"][b] = [z for _, z in positions]  # type: ignore[index]
    mark_sum, pnl = _claims([(i, z) for i, z in positions if 0 <= i < len(market().instruments)])
    out["markSum"][b] = mark_sum  # type: ignore[index]
    out["pnl"][b] = pnl  # type: ignore[index]
    return refresh(out)


# The identities of VenueBatch, step 7, after --O2 has folded their linear sums into the
# neighbouring constraints: a failure of (L1) shows in the instrument rows' fractions or
# the position fractions, of (E) in the row evaluations or the accounts' evaluations.
L1 = ("instRow", "posWeighted", "posRead")
E = ("instTerm", "rowEval", "assetTerm", "evaluation", "scaled")


def test_slot_reading_a_shock_not_in_the_table_is_refused() -> None:
    """alice (short one BTC-C) claims her loss in scenario 3 from a shock of +1e16 where the
    table says +9e16: scenario 2 (3e16) becomes her worst, a requirement of 3e20, not 9e20."""
    inputs = honest_inputs()
    honest_requirement = value(strict(), strict().witness(inputs), "main.requirement[0]")
    forged_inputs = dict(inputs)
    forged_inputs["pnl"] = [list(row) for row in inputs["pnl"]]  # type: ignore[attr-defined]
    forged_inputs["pnl"][0][3] = -1 * E16  # type: ignore[index]
    forged = forge(refresh(forged_inputs))
    assert value(strict(), forged, "main.requirement[0]") == W * 3 * E16 < honest_requirement
    failing = _failing(forged)
    assert _touches(failing, *E), failing


def test_slot_reading_another_instruments_row_is_refused() -> None:
    """alice's slot says BTC-C (index 0) but her claims use BTC-P's row (index 1)."""
    inputs = honest_inputs()
    forged_inputs = dict(inputs)
    mark_sum, pnl = _claims([(1, -1)])
    forged_inputs["markSum"] = [mark_sum, *inputs["markSum"][1:]]  # type: ignore[index]
    forged_inputs["pnl"] = [pnl, *inputs["pnl"][1:]]  # type: ignore[index]
    forged = forge(refresh(forged_inputs))
    failing = _failing(forged)
    assert _touches(failing, *E), failing


def test_multiplicity_not_matching_the_reads_is_refused() -> None:
    """One unit of weight moved from row 1 to row 2 (alpha is recomputed from the forged X)."""
    inputs = refresh(honest_inputs())
    x = list(inputs["X"])  # type: ignore[call-overload]
    x[1], x[2] = (x[1] - 1) % R, (x[2] + 1) % R
    forged = forge({**inputs, "X": x})
    failing = _failing(forged)
    assert _touches(failing, *L1), failing


def test_slot_index_outside_the_table_is_refused() -> None:
    """carol's ETH-P slot (index 4) points at index 8, one past the table of I = 8 rows."""
    inputs = honest_inputs()
    forged_inputs = _with_positions(inputs, 2, [(3, -4), (8, 5), (0, 0)])
    mark_sum, pnl = _claims([(3, -4), (4, 5)])  # she claims the sums ETH-P would give
    forged_inputs["markSum"] = [*forged_inputs["markSum"]]  # type: ignore[misc]
    forged_inputs["markSum"][2] = mark_sum  # type: ignore[index]
    forged_inputs["pnl"][2] = pnl  # type: ignore[index]
    forged = forge(refresh(forged_inputs))
    failing = _failing(forged)
    assert _touches(failing, *L1), failing
    assert not _touches(failing, "posOrder"), "the slot order is fine: the lookup refuses it"


def test_same_instrument_in_two_slots_is_refused() -> None:
    """bob holds BTC-PERP (index 2) in two slots, -1 and +1; his claims and the multiplicities
    agree with those slots, so only the slot order can refuse it."""
    inputs = honest_inputs()
    forged = forge(_with_positions(inputs, 1, [(2, -1), (2, 1), (5, 3)]))
    failing = _failing(forged)
    assert all(any(".account[1].posOrder" in n for n in names) for names in failing), failing


def test_nonempty_slot_after_an_empty_one_is_refused() -> None:
    """alice's third slot carries 7 BTC-C at index 0 behind an empty second slot."""
    inputs = honest_inputs()
    forged = forge(_with_positions(inputs, 0, [(0, -1), (0, 0), (0, 7)]))
    failing = _failing(forged)
    assert all(any(".account[0].posOrder" in n for n in names) for names in failing), failing


def test_slot_flagged_empty_with_nonzero_size_is_refused() -> None:
    """As above, and the cheater also sets the slot's empty flag to 1 (and its gap to 0) by
    hand, so that the order checks pass: the flag's own constraint size * empty = 0 fails."""
    circuit = strict()
    inputs = honest_inputs()
    forged = forge(_with_positions(inputs, 0, [(0, -1), (0, 0), (0, 7)]))
    order = "main.account[0].posOrder"
    forged[circuit.index(f"{order}.empty[2]")] = 1
    forged[circuit.index(f"{order}.inverse[2]")] = 0
    if circuit.sym[f"{order}.gap[2]"] >= 0:
        forged[circuit.index(f"{order}.gap[2]")] = 0
    set_bits(forged, circuit, f"{order}.gapRange[2].bits", 0, 4)
    failing = _failing(forged)
    assert all(any(f"{order}.empty[2]" in n for n in names) for names in failing), failing


def test_challenge_not_derived_from_the_commitments_is_refused() -> None:
    """With beta = 0 the evaluation identity (E) sees only the marks, so any loss claim passes
    it: alice hides her scenario-3 loss and the cheater sets beta = 0 instead of
    Poseidon(ch1, 2). Every other check holds; only beta's derivation fails."""
    inputs = honest_inputs()
    forged_inputs = dict(inputs)
    forged_inputs["pnl"] = [list(row) for row in inputs["pnl"]]  # type: ignore[attr-defined]
    forged_inputs["pnl"][0][3] = 0  # type: ignore[index]
    forged = forge(refresh(forged_inputs), force={"beta": 0})
    assert value(strict(), forged, "main.requirement[0]") == W * 3 * E16  # scenario 2 now the worst
    failing = _failing(forged)
    assert all(any("betaHash" in n or n == "main.beta" for n in names) for names in failing), failing


def test_leaf_word_opened_with_another_index_is_refused() -> None:
    """alice's slot word idx + 2^IW (size + 2^64) = 0 + 2^IW (-1 + 2^64) also reads as
    idx = 2^IW, size = -2: the same leaf, another slot. Were the indexes bound only by the
    lookup, the prover could choose such openings after seeing alpha (one per account, a
    generalised-birthday search over the batch); SlotOrder's range check of the first index
    makes the opening unique, before any challenge."""
    iw = slot_index_width(TEST)
    inputs = honest_inputs()
    forged_inputs = _with_positions(inputs, 0, [(1 << iw, -2), (0, 0), (0, 0)])
    honest, forged_transcript = transcript_of(inputs, TEST), transcript_of(forged_inputs, TEST)
    assert forged_transcript.root == honest.root  # the leaves cannot tell the two openings apart
    forged = forge(forged_inputs)
    failing = _failing(forged)
    assert _touches(failing, "account[0].posOrder.firstRange"), failing
