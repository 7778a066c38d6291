"""Exceptions shared by every stage.

Malformed input is an exception that says what is wrong and where; a
well-formed proof that does not verify is *not* an exception (verifiers return
a result object instead).
"""

from __future__ import annotations


class ZkSolvencyError(Exception):
    """Base class: everything the package raises on purpose."""


class FormatError(ZkSolvencyError):
    """A file or JSON document does not follow its format."""


class InputError(ZkSolvencyError):
    """User input (circuit inputs, accounts, market data) is rejected; the message names the field."""


class ToolchainError(ZkSolvencyError):
    """An external tool (circom2, snarkjs, solc, anvil) is missing or failed."""


class CompileError(ToolchainError):
    """The circom compiler rejected a circuit; the message carries its own error text."""


class SetupError(ZkSolvencyError):
    """A trusted-setup input (ptau, r1cs, zkey) cannot be used as asked."""
