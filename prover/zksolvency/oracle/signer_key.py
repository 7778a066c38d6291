"""Where a committee member's signing key comes from: a private key file, the environment, a prompt.

* ``--key FILE``: one line, the hex private key (``0x`` optional). Like an ssh key, the
  file must not be readable or writable by group or others (mode ``0600`` or stricter):
  otherwise it is refused, naming the file and the ``chmod`` that fixes it.
* ``$ZKSOLVENCY_SIGNER_KEY``: the hex key (a separate variable from the deployer's
  ``$ZKSOLVENCY_PRIVATE_KEY``, so that an operator's shell never signs snapshots by accident).
* otherwise a hidden prompt (the CLI's job).

No error message ever contains the key.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from zksolvency.chain.keys import load_account
from zksolvency.errors import InputError

#: Environment variable holding a committee member's hex private key.
SIGNER_KEY_ENV = "ZKSOLVENCY_SIGNER_KEY"


def read_key_file(path: Path) -> str:
    """The hex key in ``path``; ``InputError`` if others may read it or it holds no key."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise InputError(
            f"{path}: mode {mode:04o} lets others read or change the key; run `chmod 600 {path}`"
        )
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if len(lines) != 1:
        raise InputError(f"{path}: expected one line with the hex private key, found {len(lines)} lines")
    try:
        load_account(lines[0])
    except Exception:
        raise InputError(f"{path}: not a 32-byte hex private key (the content is not shown)") from None
    return lines[0]


def key_from_env() -> str | None:
    """``$ZKSOLVENCY_SIGNER_KEY`` stripped, or ``None`` when unset or empty."""
    value = os.environ.get(SIGNER_KEY_ENV, "").strip()
    return value or None
