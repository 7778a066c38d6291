"""snarkjs's JSON files for Groth16 over BN254: ``proof.json``, ``verification_key.json``, ``public.json``.

Shapes as written by snarkjs 0.7.6 (``src/groth16_prove.js``,
``src/zkey_export_verificationkey.js``; ``bfj.write(..., {space: 1})``).
Every number is a decimal string; points are projective with ``z = 1``
(affine), the point at infinity is ``["0", "1", "0"]`` in G1 and
``[["0","0"], ["1","0"], ["0","0"]]`` in G2, an ``Fq2`` element is ``[c0, c1]``::

    proof.json   {"pi_a": G1, "pi_b": G2, "pi_c": G1, "protocol": "groth16", "curve": "bn128"}
    verification_key.json
                 {"protocol": "groth16", "curve": "bn128", "nPublic": n (a JSON number),
                  "vk_alpha_1": G1, "vk_beta_2": G2, "vk_gamma_2": G2, "vk_delta_2": G2,
                  "vk_alphabeta_12": e(alpha1, beta2) in Fq12 as 2 x 3 x 2 strings,
                  "IC": n + 1 G1}
    public.json  ["123", ...]   the public signals, outputs first

Parsers check the shape strictly (unknown keys included) and name the field
path in each ``FormatError``. They accept decimal strings and JSON integers of
any non-negative size: the verifier, not the parser, checks ``< q``, ``< r``,
curve and subgroup membership. ``proof.json`` may omit ``curve`` (rapidsnark
does); ``vk_alphabeta_12`` is optional (``None``), and only written when known.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from zksolvency.bn254 import Fq2, G1Point, G2Point
from zksolvency.errors import FormatError
from zksolvency.util.atomic import atomic_write_text

PROTOCOL = "groth16"
CURVE = "bn128"

#: JSON keys, in the order snarkjs writes them.
PROOF_KEYS = ("pi_a", "pi_b", "pi_c", "protocol", "curve")
VKEY_KEYS = (
    "protocol",
    "curve",
    "nPublic",
    "vk_alpha_1",
    "vk_beta_2",
    "vk_gamma_2",
    "vk_delta_2",
    "vk_alphabeta_12",
    "IC",
)

_DECIMAL = re.compile(r"[0-9]+")
JsonValue = object


@dataclass(frozen=True)
class Proof:
    """A Groth16 proof: ``a`` in G1, ``b`` in G2, ``c`` in G1 (affine, ``None`` = infinity)."""

    a: G1Point
    b: G2Point
    c: G1Point


@dataclass(frozen=True)
class VerificationKey:
    """A Groth16 verification key; ``ic`` has ``n_public + 1`` points."""

    n_public: int
    alpha1: G1Point
    beta2: G2Point
    gamma2: G2Point
    delta2: G2Point
    ic: list[G1Point]
    alphabeta_12: list[list[list[int]]] | None = None


# --- numbers and points -----------------------------------------------------------------


def _num(value: JsonValue, path: str) -> int:
    if isinstance(value, str):
        if not _DECIMAL.fullmatch(value):
            raise FormatError(f"{path}: not a decimal integer string: {value[:80]!r}")
        try:
            return int(value)
        except ValueError:  # beyond Python's int-from-string digit limit
            raise FormatError(f"{path}: decimal integer string too long ({len(value)} digits)") from None
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise FormatError(f"{path}: negative integer {value}")
        return value
    raise FormatError(f"{path}: not a decimal integer string (got {type(value).__name__})")


def _list(value: JsonValue, length: int, path: str) -> list[JsonValue]:
    if not isinstance(value, list):
        raise FormatError(f"{path}: expected a list of {length}, got {type(value).__name__}")
    if len(value) != length:
        raise FormatError(f"{path}: expected a list of {length}, got {len(value)} elements")
    return value


def _fq2(value: JsonValue, path: str) -> Fq2:
    c0, c1 = _list(value, 2, path)
    return (_num(c0, f"{path}[0]"), _num(c1, f"{path}[1]"))


def g1_from_json(value: JsonValue, path: str) -> G1Point:
    """``[x, y, "1"]`` -> ``(x, y)``; ``["0", "1", "0"]`` -> ``None``."""
    x, y, z = (_num(v, f"{path}[{i}]") for i, v in enumerate(_list(value, 3, path)))
    if z == 1:
        return (x, y)
    if (x, y, z) == (0, 1, 0):
        return None
    raise FormatError(f'{path}: third coordinate must be "1" (affine) or the point must be ["0", "1", "0"]')


def g2_from_json(value: JsonValue, path: str) -> G2Point:
    """``[[x0, x1], [y0, y1], ["1", "0"]]`` -> ``((x0, x1), (y0, y1))``; infinity -> ``None``."""
    x, y, z = (_fq2(v, f"{path}[{i}]") for i, v in enumerate(_list(value, 3, path)))
    if z == (1, 0):
        return (x, y)
    if (x, y, z) == ((0, 0), (1, 0), (0, 0)):
        return None
    raise FormatError(
        f'{path}: third coordinate must be ["1", "0"] (affine) or the point must be '
        '[["0", "0"], ["1", "0"], ["0", "0"]]'
    )


def g1_to_json(p: G1Point) -> list[str]:
    if p is None:
        return ["0", "1", "0"]
    return [str(p[0]), str(p[1]), "1"]


def g2_to_json(p: G2Point) -> list[list[str]]:
    if p is None:
        return [["0", "0"], ["1", "0"], ["0", "0"]]
    (x0, x1), (y0, y1) = p
    return [[str(x0), str(x1)], [str(y0), str(y1)], ["1", "0"]]


def _object(
    obj: JsonValue, required: Sequence[str], optional: Sequence[str], what: str
) -> dict[str, JsonValue]:
    if not isinstance(obj, dict):
        raise FormatError(f"{what}: expected a JSON object, got {type(obj).__name__}")
    missing = [k for k in required if k not in obj]
    if missing:
        raise FormatError(f"{what}: missing key(s) {', '.join(missing)}")
    unknown = sorted(k for k in obj if k not in required and k not in optional)
    if unknown:
        raise FormatError(f"{what}: unknown key(s) {', '.join(unknown)}")
    return obj


def _tag(obj: dict[str, JsonValue], key: str, expected: str, what: str) -> None:
    if obj[key] != expected:
        raise FormatError(f"{what}: {key}: expected {expected!r}, got {obj[key]!r}")


def _load(path: str | os.PathLike[str]) -> JsonValue:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FormatError(f"{path}: not valid JSON ({exc})") from None


def _dump(path: str | os.PathLike[str], obj: JsonValue) -> None:
    atomic_write_text(path, json.dumps(obj, indent=1))


# --- proof.json ---------------------------------------------------------------------------


def proof_to_json(proof: Proof) -> dict[str, JsonValue]:
    return {
        "pi_a": g1_to_json(proof.a),
        "pi_b": g2_to_json(proof.b),
        "pi_c": g1_to_json(proof.c),
        "protocol": PROTOCOL,
        "curve": CURVE,
    }


def proof_from_json(obj: JsonValue, what: str = "proof.json") -> Proof:
    d = _object(obj, PROOF_KEYS[:4], ("curve",), what)
    _tag(d, "protocol", PROTOCOL, what)
    if "curve" in d:
        _tag(d, "curve", CURVE, what)
    return Proof(
        a=g1_from_json(d["pi_a"], f"{what}: pi_a"),
        b=g2_from_json(d["pi_b"], f"{what}: pi_b"),
        c=g1_from_json(d["pi_c"], f"{what}: pi_c"),
    )


def read_proof(path: str | os.PathLike[str]) -> Proof:
    return proof_from_json(_load(path), str(path))


def write_proof(path: str | os.PathLike[str], proof: Proof) -> None:
    _dump(path, proof_to_json(proof))


# --- verification_key.json ----------------------------------------------------------------


def _check_ic(n_public: int, ic: Sequence[G1Point], what: str) -> None:
    if len(ic) != n_public + 1:
        raise FormatError(f"{what}: IC has {len(ic)} points, expected nPublic + 1 = {n_public + 1}")


def _gt_from_json(value: JsonValue, path: str) -> list[list[list[int]]]:
    return [
        [
            [_num(c, f"{path}[{i}][{j}][{k}]") for k, c in enumerate(_list(fq2, 2, f"{path}[{i}][{j}]"))]
            for j, fq2 in enumerate(_list(fq6, 3, f"{path}[{i}]"))
        ]
        for i, fq6 in enumerate(_list(value, 2, path))
    ]


def _gt_to_json(value: list[list[list[int]]], what: str) -> list[list[list[str]]]:
    if len(value) != 2 or any(len(f6) != 3 or any(len(f2) != 2 for f2 in f6) for f6 in value):
        raise FormatError(f"{what}: alphabeta_12 must be 2 x 3 x 2 integers")
    return [[[str(c) for c in f2] for f2 in f6] for f6 in value]


def vkey_to_json(vkey: VerificationKey) -> dict[str, JsonValue]:
    _check_ic(vkey.n_public, vkey.ic, "verification key")
    obj: dict[str, JsonValue] = {
        "protocol": PROTOCOL,
        "curve": CURVE,
        "nPublic": vkey.n_public,
        "vk_alpha_1": g1_to_json(vkey.alpha1),
        "vk_beta_2": g2_to_json(vkey.beta2),
        "vk_gamma_2": g2_to_json(vkey.gamma2),
        "vk_delta_2": g2_to_json(vkey.delta2),
    }
    if vkey.alphabeta_12 is not None:
        obj["vk_alphabeta_12"] = _gt_to_json(vkey.alphabeta_12, "verification key")
    obj["IC"] = [g1_to_json(p) for p in vkey.ic]
    return obj


def vkey_from_json(obj: JsonValue, what: str = "verification_key.json") -> VerificationKey:
    required = [k for k in VKEY_KEYS if k != "vk_alphabeta_12"]
    d = _object(obj, required, ("vk_alphabeta_12",), what)
    _tag(d, "protocol", PROTOCOL, what)
    _tag(d, "curve", CURVE, what)
    n_public = d["nPublic"]
    if not isinstance(n_public, int) or isinstance(n_public, bool) or n_public < 0:
        raise FormatError(f"{what}: nPublic: expected a non-negative JSON integer, got {n_public!r}")
    ic_list = d["IC"]
    if not isinstance(ic_list, list):
        raise FormatError(f"{what}: IC: expected a list, got {type(ic_list).__name__}")
    ic = [g1_from_json(p, f"{what}: IC[{i}]") for i, p in enumerate(ic_list)]
    _check_ic(n_public, ic, what)
    alphabeta = d.get("vk_alphabeta_12")
    return VerificationKey(
        n_public=n_public,
        alpha1=g1_from_json(d["vk_alpha_1"], f"{what}: vk_alpha_1"),
        beta2=g2_from_json(d["vk_beta_2"], f"{what}: vk_beta_2"),
        gamma2=g2_from_json(d["vk_gamma_2"], f"{what}: vk_gamma_2"),
        delta2=g2_from_json(d["vk_delta_2"], f"{what}: vk_delta_2"),
        ic=ic,
        alphabeta_12=None if alphabeta is None else _gt_from_json(alphabeta, f"{what}: vk_alphabeta_12"),
    )


def read_vkey(path: str | os.PathLike[str]) -> VerificationKey:
    return vkey_from_json(_load(path), str(path))


def write_vkey(path: str | os.PathLike[str], vkey: VerificationKey) -> None:
    _dump(path, vkey_to_json(vkey))


# --- public.json ----------------------------------------------------------------------------


def public_to_json(values: Sequence[int]) -> list[str]:
    out = []
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise FormatError(f"public signals: [{i}]: not a non-negative integer: {v!r}")
        out.append(str(v))
    return out


def public_from_json(obj: JsonValue, what: str = "public.json") -> list[int]:
    if not isinstance(obj, list):
        raise FormatError(f"{what}: expected a list of decimal strings, got {type(obj).__name__}")
    return [_num(v, f"{what}: [{i}]") for i, v in enumerate(obj)]


def read_public(path: str | os.PathLike[str]) -> list[int]:
    return public_from_json(_load(path), str(path))


def write_public(path: str | os.PathLike[str], values: Sequence[int]) -> None:
    _dump(path, public_to_json(values))
