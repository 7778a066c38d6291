"""Exceptions of the chain stage: a node or a transaction failed, or a contract refused a call."""

from __future__ import annotations

from collections.abc import Sequence

from zksolvency.errors import ZkSolvencyError


class ChainError(ZkSolvencyError):
    """The node cannot be reached, a transaction failed, or a deployment file is unusable."""


class ContractRejected(ChainError):
    """A contract reverted with a custom error; ``error`` is its name, ``args`` its decoded arguments."""

    def __init__(self, contract: str, error: str, args: Sequence[object]) -> None:
        self.contract = contract
        self.error = error
        self.args_decoded = tuple(args)
        shown = ", ".join(_show(a) for a in args)
        super().__init__(f"{contract} rejected the call: {error}({shown})")


def _show(value: object) -> str:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, str):
        return repr(value)
    return str(value)
