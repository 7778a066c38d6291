"""Whether a signed snapshot carries ``k`` valid signatures of distinct committee members.

The rule is the contract's (``SnapshotCommittee.registerSnapshot``), so that ``market
verify``, ``audit`` and the chain agree on every file:

1. the signatures are for the committee's chain (the file's ``chainId``);
2. there are at least ``threshold`` of them;
3. every one is well formed (:mod:`zksolvency.oracle.signature`) and recovers the address
   of a committee member, no member twice.

One bad signature fails the whole file, as it reverts the registration on chain: a
signature over another message or chain recovers an unrelated address, which is not a
member. The entry's ``signer`` field is compared with the recovered address only to say
more precisely what went wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from zksolvency.oracle.committee import Committee
from zksolvency.oracle.signature import SignatureProblem, recover_signer
from zksolvency.oracle.signatures_file import SignedSnapshot


@dataclass(frozen=True)
class SignatureCheck:
    """One signature: its index, the recovered signer (``None`` if none), and what was found."""

    index: int
    signer: str | None
    ok: bool
    detail: str


@dataclass(frozen=True)
class QuorumResult:
    """Every signature's check and whether the file meets the committee's threshold."""

    checks: tuple[SignatureCheck, ...]
    threshold: int
    members: int
    ok: bool
    reason: str

    @property
    def signers(self) -> tuple[str, ...]:
        return tuple(c.signer for c in self.checks if c.ok and c.signer is not None)


def _check(index: int, signed: SignedSnapshot, committee: Committee, seen: set[str]) -> SignatureCheck:
    entry = signed.signatures[index]
    try:
        signer = recover_signer(entry.signature, signed.message, signed.chain_id)
    except SignatureProblem as exc:
        return SignatureCheck(index, None, False, f"malformed signature: {exc}")
    said = "" if signer == entry.signer else f" (the entry says {entry.signer}: signed over other data?)"
    if not committee.is_member(signer):
        return SignatureCheck(index, signer, False, f"recovers {signer}, not a committee member{said}")
    if signer in seen:
        return SignatureCheck(index, signer, False, f"{signer} signed twice")
    seen.add(signer)
    return SignatureCheck(index, signer, True, f"signed by member {signer}")


def check_quorum(signed: SignedSnapshot, committee: Committee) -> QuorumResult:
    """Steps 1-3 of the module docstring."""
    k, n = committee.threshold, len(committee.members)
    if signed.chain_id != committee.chain_id:
        reason = f"signed for chain {signed.chain_id}; the committee signs for chain {committee.chain_id}"
        return QuorumResult((), k, n, False, reason)
    seen: set[str] = set()
    checks = tuple(_check(index, signed, committee, seen) for index, _ in enumerate(signed.signatures))
    bad = [c for c in checks if not c.ok]
    if bad:
        first = bad[0]
        reason = f"signature {first.index}: {first.detail}" + (
            f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        )
        return QuorumResult(checks, k, n, False, reason)
    if len(checks) < k:
        return QuorumResult(checks, k, n, False, f"{len(checks)} of {n} members signed; the threshold is {k}")
    return QuorumResult(checks, k, n, True, f"{len(checks)} of {n} committee members signed (threshold {k})")
