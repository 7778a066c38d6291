"""Render ``PoseidonT{t}.sol``: circomlib's Poseidon as straight-line Yul, from the raw parameters.

The parameters (round constants and MDS matrix) come from
:func:`zksolvency.hashing.poseidon_parameters`; the contract must equal
:func:`zksolvency.hashing.poseidon`, and the tests check that it does. Each round
of the specification is ``x <- M (S(x + c_r))`` where ``S`` raises every lane
to the fifth power in a full round and only lane 0 in a partial round.

Two rewrites make the contract cheaper without changing a single output:

1. **Partial-round constants.** In a partial round, ``c_r = (c_r[0], 0..) + (0, c_r[1:])``
   and the second part passes through ``S`` untouched, so it leaves the round
   as the vector ``M (0, c_r[1:])`` and can be added to the next round's
   constants instead. Carried forward through every partial round, each of
   them adds one scalar (to lane 0) and the remainder lands in the first full
   round after them. (:func:`schedule` computes this; :func:`evaluate_schedule`
   runs it in Python, so the rewrite is tested without a chain.)
2. **Lazy reduction.** A product is reduced (``mulmod``) but sums of ``t <= 5``
   reduced products are not: ``5 r < 2^256``, and the next ``mulmod``/``addmod``
   reduces its inputs anyway. The first round's lane 0 (``0 + c_0``) raised to
   the fifth power is a constant, and the last round computes lane 0 only.

Constants are inlined as literals and the S-boxes are inlined; the matrix
product is one Yul function called once per round, so the code (about 8 kB)
stays far below the 24,576-byte contract size limit (EIP-170). Measured: about
49,000 gas per hash (``benchmarks/results/gas.md``), of which the 68 dense
matrix products are four fifths. The sparse-matrix form of the partial rounds
(Poseidon paper, appendix B) would halve that, but needs ten distinct constants
per round: inlined, 60 such rounds alone take about 20 kB of code, more than a
contract holding the registry as well can spare.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from zksolvency.bn254 import R
from zksolvency.chain.errors import ChainError
from zksolvency.chain.sources import render_template
from zksolvency.hashing import PoseidonParameters

TEMPLATE = "PoseidonT.sol.tmpl"

#: ``t * r``, the largest unreduced sum of ``t`` reduced values, must stay below ``2^256``.
MAX_T = 5


@dataclass(frozen=True)
class PoseidonSchedule:
    """The rounds in the order the contract runs them (see the module docstring)."""

    t: int
    alpha: int
    mds: tuple[tuple[int, ...], ...]
    #: ``(0 + c_0[0])^alpha``: lane 0 after the first S-box.
    first_lane0: int
    #: Per full round, the ``t`` constants added before its S-boxes (round 0's lane 0 unused).
    full_constants: tuple[tuple[int, ...], ...]
    #: Per partial round, the scalar added to lane 0 before its S-box.
    partial_constants: tuple[int, ...]

    @property
    def half(self) -> int:
        return len(self.full_constants) // 2


def _mat_vec(m: Sequence[Sequence[int]], v: Sequence[int]) -> list[int]:
    return [sum(a * b for a, b in zip(row, v, strict=True)) % R for row in m]


def schedule(params: PoseidonParameters) -> PoseidonSchedule:
    """The contract's round schedule for ``params`` (rewrite 1 of the module docstring)."""
    t = params.t
    if not 2 <= t <= MAX_T:
        raise ChainError(f"Poseidon with t = {t}: the renderer supports 2 <= t <= {MAX_T}")
    if params.full_rounds % 2 or params.full_rounds < 4:
        raise ChainError(f"Poseidon with {params.full_rounds} full rounds: expected an even number >= 4")
    if len(params.round_constants) != t * params.rounds or len(params.mds) != t:
        raise ChainError("Poseidon parameters: wrong number of round constants or MDS rows")
    half = params.full_rounds // 2
    consts = [[c % R for c in params.round_constants[r * t : (r + 1) * t]] for r in range(params.rounds)]
    partial: list[int] = []
    carry = [0] * t
    for r in range(half, half + params.partial_rounds):
        c = [(a + b) % R for a, b in zip(consts[r], carry, strict=True)]
        partial.append(c[0])
        carry = _mat_vec(params.mds, [0, *c[1:]])
    after = half + params.partial_rounds
    consts[after] = [(a + b) % R for a, b in zip(consts[after], carry, strict=True)]
    full = [*range(half), *range(after, params.rounds)]
    return PoseidonSchedule(
        t=t,
        alpha=params.alpha,
        mds=tuple(tuple(m % R for m in row) for row in params.mds),
        first_lane0=pow(consts[0][0], params.alpha, R),
        full_constants=tuple(tuple(consts[r]) for r in full),
        partial_constants=tuple(partial),
    )


def evaluate_schedule(s: PoseidonSchedule, inputs: Sequence[int]) -> int:
    """Hash ``inputs`` (``t - 1`` field elements) exactly as the rendered contract does."""
    if len(inputs) != s.t - 1:
        raise ValueError(f"expected {s.t - 1} inputs, got {len(inputs)}")

    def sbox(x: int) -> int:
        return pow(x, s.alpha, R)

    x = [0, *inputs]
    for k, c in enumerate(s.full_constants):
        lanes = range(s.t) if k else range(1, s.t)
        x = [sbox((v + c[i]) % R) if i in lanes else s.first_lane0 for i, v in enumerate(x)]
        if k == len(s.full_constants) - 1:
            return _mat_vec(s.mds[:1], x)[0]
        x = _mat_vec(s.mds, x)
        if k == s.half - 1:
            for c0 in s.partial_constants:
                x[0] = sbox((x[0] + c0) % R)
                x = _mat_vec(s.mds, x)
    raise AssertionError("unreachable: there is at least one full round")


def parameters_hash(params: PoseidonParameters) -> str:
    """``0x`` + sha256 of ``t, R_F, R_P, alpha``, the round constants and the MDS, as 32-byte words."""
    words = [params.t, params.full_rounds, params.partial_rounds, params.alpha]
    words += list(params.round_constants) + [m for row in params.mds for m in row]
    return "0x" + hashlib.sha256(b"".join(w.to_bytes(32, "big") for w in words)).hexdigest()


def _hex(x: int) -> str:
    return f"0x{x:064x}"


def _lanes(t: int, prefix: str = "s") -> str:
    return ", ".join(f"{prefix}{i}" for i in range(t))


def _dot(row: Sequence[int], t: int) -> str:
    terms = [f"mulmod(s{j}, {_hex(m)}, F)" for j, m in enumerate(row)]
    expr = terms[0]
    for term in terms[1:]:
        expr = f"add({expr}, {term})"
    return expr


def _rounds(s: PoseidonSchedule) -> list[str]:
    t, lanes = s.t, _lanes(s.t)
    mix = f"{lanes} := mix({lanes})"
    out = ["// full round 0 (lane 0 is the constant (0 + c)^5)", f"let s0 := {_hex(s.first_lane0)}"]
    out += [f"let s{i} := addmod(x{i - 1}, {_hex(s.full_constants[0][i])}, F)" for i in range(1, t)]
    out += [_sbox(f"s{i}") for i in range(1, t)]
    out.append(mix)
    last = len(s.full_constants) - 1
    for k in range(1, len(s.full_constants)):
        out.append(f"// full round {k}")
        out += [_sbox(f"s{i}", c) for i, c in enumerate(s.full_constants[k])]
        if k == last:
            out.append("// lane 0 of the last product is the hash")
            out.append(f"h := mod({_dot(s.mds[0], t)}, F)")
        else:
            out.append(mix)
        if k == s.half - 1:
            out += _partial(s, mix)
    return out


def _sbox(lane: str, constant: int | None = None) -> str:
    """``lane := (lane + constant)^5`` as one Yul block (inlined: a function call costs more)."""
    v = lane if constant is None else f"addmod({lane}, {_hex(constant)}, F)"
    return f"{{ let v := {v} let sq := mulmod(v, v, F) {lane} := mulmod(mulmod(sq, sq, F), v, F) }}"


def _partial(s: PoseidonSchedule, mix: str) -> list[str]:
    out = [f"// {len(s.partial_constants)} partial rounds"]
    for c0 in s.partial_constants:
        out += [_sbox("s0", c0), mix]
    return out


def _mix_body(s: PoseidonSchedule) -> list[str]:
    return [f"o{i} := {_dot(row, s.t)}" for i, row in enumerate(s.mds)]


def render_poseidon(params: PoseidonParameters) -> str:
    """Solidity source of ``library PoseidonT{t}`` with ``hash(x0 .. x{t-2})`` (see module docstring)."""
    s = schedule(params)
    indent = " " * 12
    inputs = ", ".join(f"uint256 x{i}" for i in range(s.t - 1))
    return render_template(
        TEMPLATE,
        {
            "T": s.t,
            "N_INPUTS": s.t - 1,
            "FULL_ROUNDS": params.full_rounds,
            "PARTIAL_ROUNDS": params.partial_rounds,
            "PARAMETERS_HASH": parameters_hash(params),
            "R": _hex(R),
            "INPUTS": inputs,
            "LANES": _lanes(s.t),
            "OUTS": _lanes(s.t, "o"),
            "MIX_BODY": "\n".join(indent + "    " + line for line in _mix_body(s)),
            "ROUNDS": "\n".join(indent + line for line in _rounds(s)),
        },
    )
