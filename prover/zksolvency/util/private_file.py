"""Create a new file that only its owner may read (mode 0600), atomically, never replacing one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def create_private_file(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to a fresh ``path`` with mode ``0600``; ``FileExistsError`` if it exists.

    The bytes go to a temporary file beside ``path`` (``mkstemp`` creates it ``0600``), are
    fsynced, and the file is hard-linked to ``path``: the link either creates ``path`` whole
    or fails because ``path`` exists, so a reader never sees half a file and no existing
    file is ever replaced (unlike a rename).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), 0o600)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.link(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
