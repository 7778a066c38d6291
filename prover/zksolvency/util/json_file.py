"""A JSON document from bytes or a file, with an error that names the file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from zksolvency.errors import FormatError


def parse_json(raw: bytes | str, source: str) -> Any:
    """``raw`` parsed; ``FormatError`` naming ``source`` when it is not JSON."""
    try:
        return json.loads(raw)
    except ValueError as exc:  # JSONDecodeError, and UnicodeDecodeError of bytes
        raise FormatError(f"{source}: not valid JSON ({exc})") from None


def read_json(path: str | os.PathLike[str]) -> Any:
    """The JSON document in ``path``."""
    return parse_json(Path(path).read_bytes(), os.fspath(path))
