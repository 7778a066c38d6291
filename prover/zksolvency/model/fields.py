"""Strict integers, names and the one error format shared by the accounts and market readers.

Every rejection names where it happened as ``FILE:LINE: field PATH: what is wrong``
(``FILE: field PATH: ...`` where no line is known, ``FILE:LINE: ...`` where the
whole line is at fault).

Integers (MARGIN.md, "File formats") are JSON numbers or decimal strings. A
decimal string follows the grammar of a JSON integer literal exactly:
``-?(0|[1-9][0-9]*)`` in ASCII digits, so ``"+5"``, ``" 5"``, ``"05"``, ``"1_000"``,
``"1e3"``, ``"5.0"`` and non-ASCII digits are all rejected. Booleans and
numbers with a fraction or exponent (``1.0``, ``1e3``) are rejected too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from zksolvency.errors import InputError

#: A decimal integer written the way JSON writes an integer literal.
DECIMAL_PATTERN = re.compile(r"-?(?:0|[1-9][0-9]*)")
#: Longer digit strings are out of every range here (2**128 has 39 digits); not worth parsing.
MAX_DECIMAL_CHARS = 100
#: Account ids and asset / instrument names: 1..31 UTF-8 bytes (one BN254 field element).
MAX_NAME_BYTES = 31


@dataclass(frozen=True, slots=True)
class NonInteger:
    """A JSON number with a fraction or exponent, kept as written so the error can quote it."""

    text: str


def where(source: str, line: int | None) -> str:
    """``FILE:LINE`` or ``FILE`` when the line is unknown."""
    return source if line is None else f"{source}:{line}"


def input_error(source: str, line: int | None, field: str | None, what: str) -> InputError:
    """The package's one message shape for bad input."""
    if field is None:
        return InputError(f"{where(source, line)}: {what}")
    return InputError(f"{where(source, line)}: field {field}: {what}")


def show(value: object) -> str:
    """A short rendering of a rejected value for an error message."""
    if isinstance(value, NonInteger):
        text = value.text
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    elif isinstance(value, str):
        text = repr(value)
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, dict):
        text = "an object"
    elif isinstance(value, list):
        text = "a list"
    else:
        text = type(value).__name__
    return text if len(text) <= 60 else text[:57] + "..."


def parse_integer(value: object, source: str, line: int | None, field: str) -> int:
    """An integer given as a JSON number or a decimal string; anything else is rejected."""
    if isinstance(value, bool):
        raise input_error(source, line, field, f"expected an integer, got {show(value)}")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        if len(value) <= MAX_DECIMAL_CHARS and DECIMAL_PATTERN.fullmatch(value):
            return int(value)
        raise input_error(
            source,
            line,
            field,
            f"{show(value)} is not a decimal integer "
            "(ASCII digits with an optional leading '-'; no '+', spaces, leading zeros or exponent)",
        )
    if isinstance(value, NonInteger):
        raise input_error(source, line, field, f"{value.text} is not an integer (no fraction or exponent)")
    raise input_error(
        source, line, field, f"expected an integer (JSON number or decimal string), got {show(value)}"
    )


def parse_ranged(
    value: object, low: int, high: int, rule: str, source: str, line: int | None, field: str
) -> int:
    """An integer with ``low <= value <= high``; ``rule`` is how the spec writes the range."""
    number = parse_integer(value, source, line, field)
    if low <= number <= high:
        return number
    problem = "is negative" if number < 0 <= low else "is out of range"
    raise input_error(source, line, field, f"{number} {problem} (must be {rule})")


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be an account id or asset / instrument name, or ``None`` if it can.

    A name is 1..31 UTF-8 bytes, in Unicode normal form NFC, without control
    characters and without leading or trailing whitespace, so that two names
    that look the same are the same.
    """
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        return f"{show(name)} is not valid Unicode (lone surrogate)"
    if size == 0:
        return "is empty (must be 1..31 UTF-8 bytes)"
    if size > MAX_NAME_BYTES:
        return f"{show(name)} is {size} UTF-8 bytes (must be 1..31)"
    if name != name.strip():
        return f"{show(name)} has leading or trailing whitespace"
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        return f"{show(name)} contains a control character"
    if not unicodedata.is_normalized("NFC", name):
        return f"{show(name)} is not in Unicode normal form NFC"
    return None


def parse_name(value: object, source: str, line: int | None, field: str) -> str:
    """A string that :func:`name_problem` accepts."""
    if not isinstance(value, str):
        raise input_error(source, line, field, f"expected a string, got {show(value)}")
    problem = name_problem(value)
    if problem is not None:
        raise input_error(source, line, field, problem)
    return value


def decode_utf8(raw: bytes, source: str, first_line: int = 1) -> str:
    """``raw`` (a file, or one line of it) as UTF-8 text.

    A byte-order mark at the start of the file or an invalid byte is rejected with its line and column.
    """
    if first_line == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raise input_error(source, 1, None, "starts with a UTF-8 byte-order mark; save the file without it")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + raw.count(b"\n", 0, exc.start)
        column = exc.start - raw.rfind(b"\n", 0, exc.start)
        raise input_error(
            source, line, None, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {column})"
        ) from None
