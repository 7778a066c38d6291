"""Where the deployer's and operator's private key comes from: never the command line.

The key is read from ``$ZKSOLVENCY_PRIVATE_KEY`` or typed at a hidden prompt
(the CLI's job). For a local anvil chain only, the well-known first anvil
development account may be used: its key is public (anvil prints it on every
start), so it protects nothing and must never hold real funds.
"""

from __future__ import annotations

import os

from eth_account import Account
from eth_account.signers.local import LocalAccount

from zksolvency.chain.errors import ChainError

#: Environment variable holding a hex private key.
PRIVATE_KEY_ENV = "ZKSOLVENCY_PRIVATE_KEY"

#: anvil's first development account (mnemonic "test test ... junk"): PUBLIC, for local chains only.
ANVIL_DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
ANVIL_DEV_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


def key_from_env() -> str | None:
    """``$ZKSOLVENCY_PRIVATE_KEY`` stripped, or ``None`` when unset or empty."""
    value = os.environ.get(PRIVATE_KEY_ENV, "").strip()
    return value or None


def load_account(key: str) -> LocalAccount:
    """The account for a hex private key; the error never repeats the key."""
    try:
        account: LocalAccount = Account.from_key(key.strip())
    except (ValueError, TypeError):
        raise ChainError("the private key is not 32 bytes of hex (the value is not shown)") from None
    return account
