"""Check a proving key's phase-2 contribution chain, from its MPC section alone.

What snarkjs's ``zkey verify`` checks of the contributions
(``src/zkey_verify_frominit.js``, re-implemented from its description;
definitions in ``groth16.phase2``). With ``delta_0 = G1`` and for each
contribution ``i`` in order:

1. its transcript is ``BLAKE2b-512(csHash || pk_1 .. pk_{i-1} || g1_s ||
   g1_sx)``: the record answers this circuit and exactly these predecessors
   (a link removed, reordered or taken from another ceremony fails here);
2. its proof of knowledge holds: ``same_ratio(g1_s, g1_sx, g2_sp, g2_spx)``
   with ``g2_sp = hashToG2(transcript)``, so the contributor knew ``d``;
3. ``delta_i = d delta_{i-1}``: ``same_ratio(delta_{i-1}, delta_i, g2_sp, g2_spx)``;
4. a beacon's ``g1_s, g1_sx`` are those its beacon derives (``ceremony.beacon``);
   a random one carries no beacon parameters, and no other type exists (snarkjs
   is laxer on both: it reads any type but 1 as random).

Then the key's ``delta1`` is the last ``delta_i`` and ``delta2`` has the same
discrete logarithm: ``same_ratio(G1, delta1, G2, delta2)``.

The *transcript hash* of a key is ``BLAKE2b-512(csHash || pk_1 .. pk_n)``
(``phase2.transcript_prefix``): it names the circuit and every contribution,
and it is what a bundle records as the key's provenance.

Nothing here reads the key's big sections; ``ceremony.verify`` adds the
checks that tie them to the circuit and to the phase-1 file.
"""

from __future__ import annotations

from dataclasses import dataclass

from zksolvency.bn254 import G1_GENERATOR, G2_GENERATOR, G1Point, G2Point
from zksolvency.ceremony.beacon import beacon_delta_key
from zksolvency.ceremony.errors import InvalidLink
from zksolvency.ceremony.streams import same_ratio
from zksolvency.circuit.formats.codec import encode_g2_lem
from zksolvency.circuit.formats.zkey import MPCParams, ZKeyContribution
from zksolvency.groth16 import curve
from zksolvency.groth16.kernels.interface import SectionKernels
from zksolvency.groth16.phase2 import (
    CONTRIBUTION_BEACON,
    CONTRIBUTION_RANDOM,
    contribution_hash,
    transcript_prefix,
)
from zksolvency.groth16.transcript import hash_g1, hash_to_g2


@dataclass(frozen=True)
class Phase2Contribution:
    """One verified phase-2 link, as ``ceremony verify`` prints it."""

    index: int
    name: str | None
    #: BLAKE2b-512 of the public key: what the contributor published.
    hash: bytes
    beacon: bytes | None = None
    iterations_exp: int | None = None

    def label(self) -> str:
        return f"contribution #{self.index}" + (f" ({self.name})" if self.name else "")


@dataclass(frozen=True)
class Phase2Chain:
    """What :func:`check_chain` established."""

    circuit_hash: bytes
    transcript_hash: bytes
    contributions: list[Phase2Contribution]


def _label(index: int, c: ZKeyContribution) -> str:
    return f"contribution #{index}" + (f" ({c.name})" if c.name else "")


def _check_one(
    sections: SectionKernels, index: int, c: ZKeyContribution, mpc: MPCParams, delta: G1Point
) -> None:
    link = _label(index, c)
    hasher = transcript_prefix(MPCParams(mpc.cs_hash, mpc.contributions[: index - 1]))
    hash_g1(hasher, c.g1_s)
    hash_g1(hasher, c.g1_sx)
    if hasher.digest() != c.transcript:
        raise InvalidLink(
            link,
            "its transcript does not follow the circuit hash and the contributions before it "
            "(a link removed, reordered, or taken from another ceremony)",
        )
    if c.g2_spx is None or not sections.g2_in_subgroup(encode_g2_lem(c.g2_spx)):
        raise InvalidLink(link, "g2_spx is not a point of the order-r subgroup of G2")
    g2_sp = hash_to_g2(c.transcript)
    if not same_ratio(sections, c.g1_s, c.g1_sx, g2_sp, c.g2_spx):
        raise InvalidLink(link, "its proof of knowledge of the secret does not hold")
    if not same_ratio(sections, delta, c.delta_after, g2_sp, c.g2_spx):
        raise InvalidLink(link, "its delta is not the previous delta times the proven secret")
    if c.type == CONTRIBUTION_BEACON:
        if c.beacon_hash is None or c.num_iterations_exp is None:
            raise InvalidLink(link, "a beacon contribution without its beacon hash and iterations")
        d, g1_s = beacon_delta_key(c.beacon_hash, c.num_iterations_exp)
        if (c.g1_s, c.g1_sx) != (g1_s, curve.g1_mul(g1_s, d)):
            raise InvalidLink(link, "its key is not the one its beacon derives")
    elif c.type != CONTRIBUTION_RANDOM:
        raise InvalidLink(link, f"unknown contribution type {c.type}")
    elif c.beacon_hash is not None or c.num_iterations_exp is not None:
        raise InvalidLink(link, "a random contribution that carries beacon parameters (relabelled?)")


def check_chain(sections: SectionKernels, mpc: MPCParams, delta1: G1Point, delta2: G2Point) -> Phase2Chain:
    """Steps 1-4 for every contribution, then the key's delta.

    :class:`InvalidLink` names the first link that fails.
    """
    delta: G1Point = G1_GENERATOR
    out = []
    for index, c in enumerate(mpc.contributions, start=1):
        _check_one(sections, index, c, mpc, delta)
        delta = c.delta_after
        beacon = c.type == CONTRIBUTION_BEACON
        out.append(
            Phase2Contribution(
                index,
                c.name,
                contribution_hash(c),
                c.beacon_hash if beacon else None,
                c.num_iterations_exp if beacon else None,
            )
        )
    if delta1 != delta:
        raise InvalidLink("final key", "its delta1 is not the delta the last contribution left")
    if not same_ratio(sections, G1_GENERATOR, delta1, G2_GENERATOR, delta2):
        raise InvalidLink("final key", "its delta2 does not match its delta1")
    return Phase2Chain(mpc.cs_hash, transcript_prefix(mpc).digest(), out)
