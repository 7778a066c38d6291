"""The oracle committee: ``n`` member addresses, a threshold ``k`` and the chain they sign for.

File (``committee.json``, format ``zksolvency-committee/1``)::

    {"format": "zksolvency-committee/1",
     "chain_id": 31337,
     "threshold": 3,
     "members": ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", ...]}

Rules (the same as ``CommitteeQuorum.sol``'s constructor): ``1 <= k <= n <= 256``;
members are distinct, non-zero addresses (EIP-55 mixed-case checksums are checked
when given). A snapshot is accepted with ``k`` valid signatures of distinct members.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from eth_utils.address import is_address, is_checksum_address, to_checksum_address

from zksolvency.errors import FormatError
from zksolvency.util.atomic import atomic_write_text
from zksolvency.util.json_file import read_json

FORMAT = "zksolvency-committee/1"
#: At most this many members: the contract marks who signed in one 256-bit word.
MAX_MEMBERS = 256
ZERO_ADDRESS = "0x" + "00" * 20


@dataclass(frozen=True)
class Committee:
    """A validated committee; ``members`` become checksummed addresses, in the given order."""

    chain_id: int
    threshold: int
    members: tuple[str, ...]

    def __post_init__(self) -> None:
        problem = committee_problem(self.chain_id, self.threshold, self.members)
        if problem is not None:
            raise FormatError(f"committee: {problem}")
        object.__setattr__(self, "members", tuple(to_checksum_address(m) for m in self.members))

    def is_member(self, address: str) -> bool:
        return address in self.members

    def to_json(self) -> dict[str, object]:
        return {
            "format": FORMAT,
            "chain_id": self.chain_id,
            "threshold": self.threshold,
            "members": list(self.members),
        }


def committee_problem(chain_id: object, threshold: object, members: tuple[object, ...]) -> str | None:
    """What is wrong with these committee values, or ``None``."""
    for name, value in (("chain_id", chain_id), ("threshold", threshold)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            return f"{name} must be a positive integer, got {value!r}"
    assert isinstance(threshold, int)
    if not 1 <= len(members) <= MAX_MEMBERS:
        return f"{len(members)} members (must be 1..{MAX_MEMBERS})"
    if threshold > len(members):
        return f"threshold {threshold} is above the {len(members)} members"
    for index, member in enumerate(members):
        if not isinstance(member, str) or not is_address(member):
            return f"members[{index}]: {member!r} is not a 20-byte hex address"
        if member != member.lower() and member[2:] != member[2:].upper() and not is_checksum_address(member):
            return f"members[{index}]: {member} has a wrong EIP-55 checksum (mixed case)"
        if member.lower() == ZERO_ADDRESS:
            return f"members[{index}] is the zero address"
    lowered = [str(m).lower() for m in members]
    for index, member in enumerate(lowered):
        if lowered.index(member) != index:
            return f"members[{index}] repeats members[{lowered.index(member)}]"
    return None


def committee_from_json(obj: Any, what: str = "committee.json") -> Committee:
    """A :class:`Committee` from the parsed file; ``FormatError`` names the file and field."""
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        got = obj.get("format") if isinstance(obj, dict) else None
        raise FormatError(f"{what}: format {got!r}, expected {FORMAT!r}")
    unknown = sorted(set(obj) - {"format", "chain_id", "threshold", "members"})
    if unknown:
        raise FormatError(f"{what}: unknown field {unknown[0]!r}")
    members = obj.get("members")
    if not isinstance(members, list):
        raise FormatError(f"{what}: field members: expected a list of addresses")
    problem = committee_problem(obj.get("chain_id"), obj.get("threshold"), tuple(members))
    if problem is not None:
        raise FormatError(f"{what}: {problem}")
    return Committee(obj["chain_id"], obj["threshold"], tuple(members))


def read_committee(path: str | os.PathLike[str]) -> Committee:
    return committee_from_json(read_json(path), os.fspath(path))


def write_committee(path: str | os.PathLike[str], committee: Committee) -> None:
    atomic_write_text(path, json.dumps(committee.to_json(), indent=1) + "\n")
