"""A strict JSON reader that remembers the line of every value, so errors can point into the file.

:func:`loads_located` returns the document as plain Python values (``dict``,
``list``, ``str``, ``int``, ``bool``, ``None``) together with a map from each
value's path (a tuple of keys and list indices) to the line it starts on.
Numbers with a fraction or exponent become :class:`~zksolvency.model.fields.NonInteger`
so the caller can reject them quoting the text as written. Unlike ``json.loads``
it rejects duplicate keys, ``NaN`` and ``Infinity``. Used for the market
snapshot and JSON market descriptions; account files are one object per line
and use the standard library's faster parser.
"""

from __future__ import annotations

import bisect
import json
import re

from zksolvency.model.fields import NonInteger, input_error

JsonPath = tuple[str | int, ...]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"')
_LITERALS: dict[str, object] = {"true": True, "false": False, "null": None}
_MAX_DEPTH = 64
_MAX_DIGITS = 1000


def render_path(path: JsonPath) -> str:
    """``("instruments", "BTC-C", "shocks", 3)`` -> ``instruments.BTC-C.shocks[3]``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(document)"


class _Reader:
    def __init__(self, text: str, source: str, first_line: int) -> None:
        self.text = text
        self.source = source
        self.first_line = first_line
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.lines: dict[JsonPath, int] = {}

    def line_at(self, pos: int) -> int:
        return self.first_line + bisect.bisect_left(self.newlines, pos)

    def fail(self, pos: int, what: str) -> Exception:
        line = self.line_at(pos)
        index = bisect.bisect_left(self.newlines, pos)
        column = pos - (self.newlines[index - 1] if index else -1)
        return input_error(self.source, line, None, f"not valid JSON: {what} at column {column}")

    def skip(self, pos: int) -> int:
        match = _WHITESPACE.match(self.text, pos)
        assert match is not None  # the pattern matches the empty string
        return match.end()

    def value(self, pos: int, path: JsonPath) -> tuple[object, int]:
        pos = self.skip(pos)
        if len(path) > _MAX_DEPTH:
            raise self.fail(pos, f"nested more than {_MAX_DEPTH} deep")
        self.lines[path] = self.line_at(pos)
        char = self.text[pos : pos + 1]
        if char == "{":
            return self.obj(pos + 1, path)
        if char == "[":
            return self.array(pos + 1, path)
        if char == '"':
            return self.string(pos)
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, pos):
                return literal, pos + len(word)
        match = _NUMBER.match(self.text, pos)
        if match is None:
            raise self.fail(pos, "expected a value" if char else "unexpected end of file")
        digits = match.group()
        if len(digits) > _MAX_DIGITS:
            raise self.fail(pos, f"number with more than {_MAX_DIGITS} digits")
        if match.group(1) or match.group(2):
            return NonInteger(digits), match.end()
        return int(digits), match.end()

    def string(self, pos: int) -> tuple[str, int]:
        match = _STRING.match(self.text, pos)
        if match is None:
            raise self.fail(pos, "unterminated string or bad escape")
        decoded: str = json.loads(match.group())
        return decoded, match.end()

    def obj(self, pos: int, path: JsonPath) -> tuple[dict[str, object], int]:
        result: dict[str, object] = {}
        pos = self.skip(pos)
        if self.text.startswith("}", pos):
            return result, pos + 1
        while True:
            pos = self.skip(pos)
            if not self.text.startswith('"', pos):
                raise self.fail(pos, "expected a key in double quotes")
            key_pos = pos
            key, pos = self.string(pos)
            if key in result:
                raise input_error(
                    self.source, self.line_at(key_pos), render_path((*path, key)), "appears twice"
                )
            pos = self.skip(pos)
            if not self.text.startswith(":", pos):
                raise self.fail(pos, "expected ':'")
            result[key], pos = self.value(pos + 1, (*path, key))
            pos = self.skip(pos)
            if self.text.startswith(",", pos):
                pos += 1
            elif self.text.startswith("}", pos):
                return result, pos + 1
            else:
                raise self.fail(pos, "expected ',' or '}'")

    def array(self, pos: int, path: JsonPath) -> tuple[list[object], int]:
        result: list[object] = []
        pos = self.skip(pos)
        if self.text.startswith("]", pos):
            return result, pos + 1
        while True:
            item, pos = self.value(pos, (*path, len(result)))
            result.append(item)
            pos = self.skip(pos)
            if self.text.startswith(",", pos):
                pos += 1
            elif self.text.startswith("]", pos):
                return result, pos + 1
            else:
                raise self.fail(pos, "expected ',' or ']'")


def loads_located(text: str, source: str, first_line: int = 1) -> tuple[object, dict[JsonPath, int]]:
    """Parse one JSON document; return it and the line of every value, keyed by path."""
    reader = _Reader(text, source, first_line)
    document, end = reader.value(0, ())
    end = reader.skip(end)
    if end != len(text):
        raise reader.fail(end, "extra data after the document")
    return document, reader.lines
