"""Sign a snapshot message with secp256k1, and recover the signer under the contract's rules.

A signature is Ethereum's 65 bytes ``r || s || v``: ``r`` and ``s`` 32 bytes each,
big-endian, ``v`` one byte. Before recovering, the same rules as ``ecrecover`` in
``CommitteeQuorum.sol`` apply (sources: the Ethereum yellow paper, appendix F, for
``ecrecover``; EIP-2 for the low ``s``):

* exactly 65 bytes;
* ``v`` is 27 or 28 (the recovery id plus 27; ``0``/``1`` and EIP-155 values are refused);
* ``1 <= r < n`` and ``1 <= s <= n / 2``, with ``n`` the order of secp256k1's group. For
  every valid ``(r, s, v)`` the twin ``(r, n - s, v')`` is valid for the same key and
  message; accepting only the low ``s`` leaves one signature per key and message.

A signature that breaks a rule raises :class:`SignatureProblem`; a well-formed signature
over other data recovers some other address, which the caller compares with the committee.
"""

from __future__ import annotations

from eth_account import Account

from zksolvency.chain.keys import load_account
from zksolvency.errors import ZkSolvencyError
from zksolvency.oracle.typed_data import SnapshotMessage, signable

#: The order of the secp256k1 group (SEC 2, section 2.4.1).
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
SIGNATURE_BYTES = 65


class SignatureProblem(ZkSolvencyError):
    """A signature that no committee rule accepts (length, ``v``, ``r``, high ``s``)."""


def signature_problem(signature: bytes) -> str | None:
    """Why ``signature`` breaks a rule of the module docstring, or ``None``."""
    if len(signature) != SIGNATURE_BYTES:
        return f"{len(signature)} bytes, not {SIGNATURE_BYTES}"
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:64], "big")
    v = signature[64]
    if v not in (27, 28):
        return f"v is {v}, not 27 or 28"
    if not 1 <= r < SECP256K1_N:
        return "r is not in 1..n-1"
    if not 1 <= s <= SECP256K1_N // 2:
        return "s is not in the lower half of the group order (EIP-2)"
    return None


def sign_snapshot(key: str, message: SnapshotMessage, chain_id: int) -> tuple[str, bytes]:
    """``(signer address, 65-byte signature)`` of ``message`` for ``chain_id`` with the hex ``key``."""
    account = load_account(key)
    signature = bytes(account.sign_message(signable(message, chain_id)).signature)
    problem = signature_problem(signature)
    if problem is not None:  # eth_account signs deterministically (RFC 6979) with a low s
        raise SignatureProblem(f"the signing library made a signature the contract refuses: {problem}")
    return account.address, signature


def recover_signer(signature: bytes, message: SnapshotMessage, chain_id: int) -> str:
    """The checksummed address that signed ``message`` for ``chain_id``; :class:`SignatureProblem` if none."""
    problem = signature_problem(signature)
    if problem is not None:
        raise SignatureProblem(problem)
    try:
        address: str = Account.recover_message(signable(message, chain_id), signature=signature)
    except Exception as exc:  # eth_keys: no point recovers (r is not an x-coordinate on the curve)
        raise SignatureProblem(f"no public key recovers ({type(exc).__name__})") from None
    return address
