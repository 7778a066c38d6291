"""The bad quorums issue 14 names, built over any message: the chain and the audit must refuse each.

``tests/contracts/test_snapshot_committee.py`` sends them to the registry,
``tests/contracts/test_settlement_gate.py`` (over a TradeSnapshot) to the settlement gate, and
``tests/rounds/test_round_oracle.py`` puts them in a bundle for ``audit``; each file checks
the refusal its own way. All keys here are PUBLIC test keys (the demo committee's, and
an outsider's derived from a public string).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from eth_utils.crypto import keccak

from zksolvency.chain.keys import load_account
from zksolvency.oracle.demo_committee import DEMO_CHAIN_ID, DEMO_KEYS, sign_with
from zksolvency.oracle.signatures_file import SignedSnapshot
from zksolvency.oracle.typed_data import SnapshotMessage, TradeSnapshotMessage

#: A key outside the demo committee (PUBLIC, tests only).
OUTSIDER_KEY = "0x" + keccak(text="zksolvency test key outside the committee (PUBLIC)").hex()
OUTSIDER = load_account(OUTSIDER_KEY).address
#: Another chain's id, for signatures made for it.
OTHER_CHAIN_ID = 1


def _swap(signed: SignedSnapshot, index: int, replacement: SignedSnapshot) -> SignedSnapshot:
    """``signed`` with entry ``index`` replaced by ``replacement``'s only entry."""
    entries = list(signed.signatures)
    entries[index] = replacement.signatures[0]
    return dataclasses.replace(signed, signatures=tuple(entries))


def two_of_five(m: SnapshotMessage) -> SignedSnapshot:
    return sign_with(m, DEMO_KEYS[:2])


def repeated_signer(m: SnapshotMessage) -> SignedSnapshot:
    """Members 0, 1 and 1 again: three signatures, two signers."""
    return sign_with(m, (DEMO_KEYS[0], DEMO_KEYS[1], DEMO_KEYS[1]))


def over_another_hash(m: SnapshotMessage) -> SignedSnapshot:
    """Signature 1 is member 1's, but over another hash (the one the contract registers under:
    the market hash, or a trade message's snapshot hash)."""
    if isinstance(m, TradeSnapshotMessage):
        other: SnapshotMessage = dataclasses.replace(m, snapshot_hash=m.snapshot_hash + 1)
    else:
        other = dataclasses.replace(m, market_hash=m.market_hash + 1)
    return _swap(sign_with(m, DEMO_KEYS[:3]), 1, sign_with(other, DEMO_KEYS[1:2]))


def for_another_chain(m: SnapshotMessage) -> SignedSnapshot:
    """Signature 2 is member 2's over the same message, but for chain 1."""
    return _swap(sign_with(m, DEMO_KEYS[:3]), 2, sign_with(m, DEMO_KEYS[2:3], chain_id=OTHER_CHAIN_ID))


def non_member(m: SnapshotMessage) -> SignedSnapshot:
    """Signature 1 is by a key outside the committee."""
    return sign_with(m, (DEMO_KEYS[0], OUTSIDER_KEY, DEMO_KEYS[2]))


BAD_QUORUMS: dict[str, Callable[[SnapshotMessage], SignedSnapshot]] = {
    "2 of 5": two_of_five,
    "repeated signer": repeated_signer,
    "signature over another hash": over_another_hash,
    "another chain id": for_another_chain,
    "non-committee signer": non_member,
}
assert DEMO_CHAIN_ID != OTHER_CHAIN_ID
