"""A contributor's secret: 64 bytes from the OS, optionally mixed with a passphrase, never stored.

``seed = BLAKE2b-512(os.urandom(64) || passphrase)``; the two scalars a
contribution needs are ``1 + (BLAKE2b-512(seed, person=P) mod (r - 1))`` for
two personalisations ``P``: ``d`` (the secret that multiplies delta) and the
scalar of the proof of knowledge's random point ``g1_s``. The OS bytes alone
make the secret unpredictable; the passphrase lets a contributor add entropy
of their own (typed at a hidden prompt) without having to trust the OS alone.

The values live only in this process's memory, as Python integers (which
cannot be wiped: the process exits when the command is done). They never reach
a file, an argument, an environment variable or a log.
"""

from __future__ import annotations

import hashlib
import os

from zksolvency.bn254 import R


def _scalar(seed: bytes, person: bytes) -> int:
    digest = hashlib.blake2b(seed, digest_size=64, person=person).digest()
    return 1 + int.from_bytes(digest, "little") % (R - 1)


def contribution_secrets(passphrase: str | None = None) -> tuple[int, int]:
    """``(d, g1_s scalar)`` for one contribution, both non-zero and below ``r``."""
    seed = hashlib.blake2b(os.urandom(64) + (passphrase or "").encode("utf-8"), digest_size=64).digest()
    return _scalar(seed, b"zksolvency delta"), _scalar(seed, b"zksolvency g1_s")
