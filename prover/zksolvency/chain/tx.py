"""Talking to a node: connect, and send a signed transaction with an explicit gas limit.

Every transaction carries a gas limit chosen by the caller, never a bare
``eth_estimateGas``: a pairing check short of gas makes a verifier return
false rather than revert, so an estimate may settle on a cheap failing path
(our verifier reverts when short of gas, but others do not). Before sending,
the same transaction is run with ``eth_call``: a revert is reported with the
contract's custom error decoded (:class:`ContractRejected`) and nothing is
spent. Transactions are signed here; the node never sees the key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from eth_abi.abi import decode as abi_decode
from eth_account.signers.local import LocalAccount
from eth_utils.abi import collapse_if_tuple
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from hexbytes import HexBytes
from web3 import Web3
from web3.exceptions import ContractLogicError, TimeExhausted, Web3Exception
from web3.types import TxParams, TxReceipt

from zksolvency.chain.errors import ChainError, ContractRejected

#: Seconds to wait for a transaction to be mined.
RECEIPT_TIMEOUT = 120.0
#: Seconds one JSON-RPC request may take.
RPC_TIMEOUT = 30.0
_FEE_FIELDS = ("gasPrice", "maxFeePerGas", "maxPriorityFeePerGas")


@dataclass(frozen=True)
class Mined:
    """A transaction that succeeded."""

    tx_hash: str
    block_number: int
    gas_used: int
    gas_limit: int
    contract_address: str | None


def connect(rpc_url: str) -> Web3:
    """A ``Web3`` for ``rpc_url`` that has answered one request (``ChainError`` otherwise)."""
    w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": RPC_TIMEOUT}))
    try:
        w3.eth.chain_id  # noqa: B018 - the request is the check
    except (OSError, Web3Exception, ValueError) as exc:
        raise ChainError(f"cannot reach a node at {rpc_url}: {type(exc).__name__}") from None
    return w3


def _error_table(abis: Iterable[Sequence[dict[str, Any]]]) -> dict[bytes, tuple[str, list[str]]]:
    table: dict[bytes, tuple[str, list[str]]] = {}
    for abi in abis:
        for item in abi:
            if item.get("type") == "error":
                types = [collapse_if_tuple(i) for i in item.get("inputs", [])]
                table[keccak(text=f"{item['name']}({','.join(types)})")[:4]] = (item["name"], types)
    return table


def _revert_data(exc: ContractLogicError) -> bytes | None:
    data = exc.data
    if isinstance(data, dict):
        data = data.get("data")
    if not isinstance(data, str) or not data.startswith("0x"):
        return None
    try:
        return bytes(HexBytes(data))
    except ValueError:
        return None


def decode_revert(
    exc: ContractLogicError, contract: str, abis: Iterable[Sequence[dict[str, Any]]]
) -> ChainError:
    """The error to raise for a revert: :class:`ContractRejected` when a custom error is recognised."""
    data = _revert_data(exc)
    if data is not None and len(data) >= 4:
        known = _error_table(abis).get(data[:4])
        if known is not None:
            name, types = known
            try:
                decoded = abi_decode(types, data[4:])
                args = [
                    to_checksum_address(a) if t == "address" else a
                    for t, a in zip(types, decoded, strict=True)
                ]
            except Exception:  # malformed revert data: report the name alone
                args = []
            return ContractRejected(contract, name, args)
    detail = exc.message or ("0x" + data.hex() if data else "no reason given")
    return ChainError(f"{contract} reverted: {detail}")


def transact(
    w3: Web3,
    account: LocalAccount,
    tx: TxParams,
    contract: str,
    error_abis: Iterable[Sequence[dict[str, Any]]] = (),
) -> Mined:
    """Dry-run ``tx`` (``eth_call``), then sign, send and wait; ``tx`` must carry ``gas``.

    Raises :class:`ContractRejected` for a revert with a known custom error,
    ``ChainError`` for any other failure (the transaction hash is named when
    one was sent).
    """
    if "gas" not in tx:
        raise ChainError("internal: a transaction without an explicit gas limit")
    abis = list(error_abis)
    tx = cast(TxParams, {**tx, "from": account.address})
    # The dry run carries no fee fields, so that an unfunded sender still learns why a call reverts.
    dry = cast(TxParams, {k: v for k, v in tx.items() if k not in _FEE_FIELDS})
    try:
        w3.eth.call(dry)
    except ContractLogicError as exc:  # ContractCustomError included
        raise decode_revert(exc, contract, abis) from None
    except (OSError, Web3Exception, ValueError) as exc:
        raise ChainError(f"{contract}: dry run failed: {exc}") from None
    try:
        tx = cast(TxParams, {**tx, "nonce": w3.eth.get_transaction_count(account.address, "pending")})
        signed = account.sign_transaction(cast(dict[str, Any], tx))
        tx_hash = w3.eth.send_raw_transaction(signed.raw_transaction)
        receipt: TxReceipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=RECEIPT_TIMEOUT)
    except TimeExhausted:
        raise ChainError(f"{contract}: transaction not mined within {RECEIPT_TIMEOUT:g} s") from None
    except (OSError, Web3Exception, ValueError) as exc:
        raise ChainError(f"{contract}: sending the transaction failed: {exc}") from None
    hex_hash = "0x" + bytes(tx_hash).hex()
    if receipt["status"] != 1:
        raise ChainError(
            f"{contract}: transaction {hex_hash} reverted in block {receipt['blockNumber']} "
            f"(gas used {receipt['gasUsed']} of {tx['gas']})"
        )
    address = receipt.get("contractAddress")
    return Mined(
        tx_hash=hex_hash,
        block_number=int(receipt["blockNumber"]),
        gas_used=int(receipt["gasUsed"]),
        gas_limit=int(tx["gas"]),
        contract_address=str(address) if address else None,
    )
