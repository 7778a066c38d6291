"""The EIP-712 typed data a committee member signs for a market snapshot, and its digest.

Two messages, one per contract that registers snapshots: ``MarketSnapshot`` (the
solvency registry, ``SnapshotCommittee.sol``) and ``TradeSnapshot`` (the settlement gate,
``SettlementGate.sol``). A signature over one is never a signature over the other: their
type hashes differ.

Format: EIP-712, "Typed structured data hashing and signing"
(https://eips.ethereum.org/EIPS/eip-712), with EIP-191 version byte ``0x01``. The
contracts compute the same digests on chain (``CommitteeQuorum.sol`` the domain,
``SnapshotCommittee.sol`` and ``SettlementGate.sol`` their message).

Domain (no ``verifyingContract``, no ``salt``; docs/oracle.md says why)::

    EIP712Domain(string name,string version,uint256 chainId)
    name = "zksolvency", version = "1", chainId = the id of the chain the committee serves

Message::

    MarketSnapshot(uint256 marketHash,uint32 assets,uint32 instruments,uint32 scenarios,
                   bytes32 snapshotSha256,uint64 snapshotTime)

``marketHash`` is the Poseidon ``MarketHash`` every proof binds (the snapshot padded to
the batch circuit's ``A, I, S``, :func:`zksolvency.ledger.commitment.market_hash`), so
the chain can compare it with a round's; ``assets, instruments, scenarios`` are that
``A, I, S`` (the hash depends on them); ``snapshotSha256`` is the SHA-256 of the
snapshot file's bytes, tying the signature to one exact file (with its ``_generated``
record of the sources); ``snapshotTime`` is the snapshot's time in Unix seconds (the
time its quotes were judged fresh at).

Trade message (the same snapshot file, as the trade circuits read it)::

    TradeSnapshot(uint256 snapshotHash,uint256 marketHash,uint32 assets,uint32 instruments,
                  uint32 scenarios,bytes32 snapshotSha256,uint64 snapshotTime)

``snapshotHash`` is the trade snapshot hash a trade batch proof binds
(:func:`zksolvency.trades.snapshot.snapshot_hash`: the ``MarketHash`` with the price bands,
initial shocks and names at ``A, I, S``); the other members are the market message's.

Hashing, for a type ``T(t1 m1, ..., tk mk)`` whose members are all atomic::

    typeHash(T)      = keccak256(the type string above, without spaces after commas)
    hashStruct(T, v) = keccak256(typeHash(T) || enc(v.m1) || ... || enc(v.mk))
    enc(string s)    = keccak256(utf8(s));  enc(uintN x) = x as 32 bytes big-endian;
    enc(bytes32 b)   = b
    digest           = keccak256(0x19 || 0x01 || hashStruct(EIP712Domain, domain)
                                 || hashStruct(MarketSnapshot or TradeSnapshot, message))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from eth_abi.abi import encode as abi_encode
from eth_account.messages import SignableMessage
from eth_utils.crypto import keccak
from hexbytes import HexBytes

from zksolvency.bn254 import R
from zksolvency.errors import InputError

DOMAIN_NAME = "zksolvency"
DOMAIN_VERSION = "1"
DOMAIN_TYPE = "EIP712Domain(string name,string version,uint256 chainId)"
SNAPSHOT_TYPE = (
    "MarketSnapshot(uint256 marketHash,uint32 assets,uint32 instruments,uint32 scenarios,"
    "bytes32 snapshotSha256,uint64 snapshotTime)"
)
TRADE_SNAPSHOT_TYPE = (
    "TradeSnapshot(uint256 snapshotHash,uint256 marketHash,uint32 assets,uint32 instruments,"
    "uint32 scenarios,bytes32 snapshotSha256,uint64 snapshotTime)"
)
DOMAIN_TYPEHASH = keccak(text=DOMAIN_TYPE)
SNAPSHOT_TYPEHASH = keccak(text=SNAPSHOT_TYPE)
TRADE_SNAPSHOT_TYPEHASH = keccak(text=TRADE_SNAPSHOT_TYPE)
#: EIP-191's prefix byte and EIP-712's version byte.
EIP191_PREFIX = b"\x19"
EIP712_VERSION = b"\x01"
#: Exclusive bounds of the message's integers (their Solidity types).
UINT32_BOUND = 2**32
UINT64_BOUND = 2**64


@dataclass(frozen=True)
class SnapshotMessage:
    """The ``MarketSnapshot`` message (module docstring); the constructor checks every range."""

    PRIMARY_TYPE: ClassVar[str] = "MarketSnapshot"
    TYPE: ClassVar[str] = SNAPSHOT_TYPE
    TYPEHASH: ClassVar[bytes] = SNAPSHOT_TYPEHASH

    market_hash: int
    assets: int
    instruments: int
    scenarios: int
    snapshot_sha256: bytes
    snapshot_time: int

    def __post_init__(self) -> None:
        if not 0 <= self.market_hash < R:
            raise InputError(f"marketHash {self.market_hash} is not a BN254 scalar field element")
        for name in ("assets", "instruments", "scenarios"):
            value = getattr(self, name)
            if not 1 <= value < UINT32_BOUND:
                raise InputError(f"{name} {value} is not in 1..2**32 - 1")
        if len(self.snapshot_sha256) != 32:
            raise InputError(f"snapshotSha256 has {len(self.snapshot_sha256)} bytes, not 32")
        if not 0 <= self.snapshot_time < UINT64_BOUND:
            raise InputError(f"snapshotTime {self.snapshot_time} is not in 0..2**64 - 1")

    def to_json(self) -> dict[str, object]:
        """The message as the signatures file and EIP-712 JSON carry it (big integer as a decimal string)."""
        return {
            "marketHash": str(self.market_hash),
            "assets": self.assets,
            "instruments": self.instruments,
            "scenarios": self.scenarios,
            "snapshotSha256": "0x" + self.snapshot_sha256.hex(),
            "snapshotTime": self.snapshot_time,
        }

    def as_tuple(self) -> tuple[int | bytes, ...]:
        """The message as the contract's ``MarketSnapshot`` struct argument."""
        return (
            self.market_hash,
            self.assets,
            self.instruments,
            self.scenarios,
            self.snapshot_sha256,
            self.snapshot_time,
        )


@dataclass(frozen=True)
class TradeSnapshotMessage(SnapshotMessage):
    """The ``TradeSnapshot`` message: the market message's members after the trade ``snapshot_hash``."""

    PRIMARY_TYPE: ClassVar[str] = "TradeSnapshot"
    TYPE: ClassVar[str] = TRADE_SNAPSHOT_TYPE
    TYPEHASH: ClassVar[bytes] = TRADE_SNAPSHOT_TYPEHASH

    snapshot_hash: int

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0 <= self.snapshot_hash < R:
            raise InputError(f"snapshotHash {self.snapshot_hash} is not a BN254 scalar field element")

    def to_json(self) -> dict[str, object]:
        return {"snapshotHash": str(self.snapshot_hash), **super().to_json()}

    def as_tuple(self) -> tuple[int | bytes, ...]:
        """The message as the contract's ``TradeSnapshot`` struct argument."""
        return (self.snapshot_hash, *super().as_tuple())


def domain_separator(chain_id: int) -> bytes:
    """``hashStruct(EIP712Domain, {name, version, chainId})``."""
    return keccak(
        abi_encode(
            ["bytes32", "bytes32", "bytes32", "uint256"],
            [DOMAIN_TYPEHASH, keccak(text=DOMAIN_NAME), keccak(text=DOMAIN_VERSION), chain_id],
        )
    )


def _members(type_string: str) -> list[tuple[str, str]]:
    """``[(type, name), ...]`` of an EIP-712 type string ``Name(t1 m1,...,tk mk)``."""
    inner = type_string[type_string.index("(") + 1 : -1]
    return [(t, n) for t, n in (member.split(" ") for member in inner.split(","))]


def struct_hash(message: SnapshotMessage) -> bytes:
    """``hashStruct(MarketSnapshot or TradeSnapshot, message)``, by the message's class."""
    types = ["bytes32", *(t for t, _ in _members(message.TYPE))]
    return keccak(abi_encode(types, [message.TYPEHASH, *message.as_tuple()]))


def signable(message: SnapshotMessage, chain_id: int) -> SignableMessage:
    """EIP-191 version 0x01 (EIP-712): header = domain separator, body = struct hash."""
    return SignableMessage(EIP712_VERSION, domain_separator(chain_id), struct_hash(message))


def snapshot_digest(message: SnapshotMessage, chain_id: int) -> bytes:
    """The 32 bytes that are signed: ``keccak256(0x19 0x01 || domainSeparator || structHash)``."""
    return keccak(EIP191_PREFIX + EIP712_VERSION + domain_separator(chain_id) + struct_hash(message))


def typed_data_json(message: SnapshotMessage, chain_id: int) -> dict[str, Any]:
    """The full EIP-712 JSON (``types``, ``primaryType``, ``domain``, ``message``) that wallets sign."""

    def fields(type_string: str) -> list[dict[str, str]]:
        return [{"type": t, "name": n} for t, n in _members(type_string)]

    values = message.to_json()
    values["marketHash"] = message.market_hash
    values["snapshotSha256"] = HexBytes(message.snapshot_sha256)
    if isinstance(message, TradeSnapshotMessage):
        values["snapshotHash"] = message.snapshot_hash
    return {
        "types": {"EIP712Domain": fields(DOMAIN_TYPE), message.PRIMARY_TYPE: fields(message.TYPE)},
        "primaryType": message.PRIMARY_TYPE,
        "domain": {"name": DOMAIN_NAME, "version": DOMAIN_VERSION, "chainId": chain_id},
        "message": values,
    }
