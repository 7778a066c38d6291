"""Check a phase-1 file (``.ptau``): its contribution chain, its points, the Lagrange blocks a key uses.

What snarkjs's ``powersoftau verify`` checks (``src/powersoftau_verify.js``,
re-implemented from its description; the hashes are ``groth16.phase1``'s),
streamed so that a file of any size is read in chunks:

1. **The chain.** Contribution ``k`` answers the challenge ``c`` its
   predecessor left (the first one: the empty ceremony's hash). Its three
   proofs of knowledge hold (``same_ratio(g1_s, g1_sx, g2_sp, g2_spx)`` with
   ``g2_sp`` hashed from ``c``), and its points follow its predecessor's by the
   proven secrets: ``same_ratio(tauG1_prev, tauG1, tau.g2_sp, tau.g2_spx)``,
   ``same_ratio(tau.g1_s, tau.g1_sx, tauG2_prev, tauG2)``, and likewise alpha
   and beta. A beacon contribution's key must be the one its beacon derives
   (``ceremony.beacon``). So nobody who skipped a secret can appear in the
   chain, and every contributor's secret is folded into the last points.
2. **The points.** The file's sections hold the powers of the last
   contribution's secrets: the first points are ``G1``, ``tauG1``, ``G2``,
   ``tauG2``, ``alphaG1``, ``betaG1`` of the last record and ``betaG2`` is its
   ``betaG2``; consecutive points share one ratio, tested by one random linear
   combination per section (``sum r_i P_i`` against ``sum r_i P_{i+1}``).
3. **The hash.** When the file has its ceremony's power, the hash of its
   points (after the last response hash) is the last record's next challenge.
   A file reduced from a bigger ceremony (``powersoftau truncate``) cannot be
   hashed against it; 1 and 2 still pin every point.
4. **Lagrange blocks.** A prepared file's block of domain size ``N`` must be
   the Lagrange basis of the powers: ``sum_i r_i tau^i G = sum_j s_j L_j G``
   with ``s = fft(r)`` (``tau^i = sum_j w^(ij) L_j(tau)``). Only the blocks a
   key uses are checked (domain ``n`` of sections 12-15 and ``2n`` of
   section 12), or all of them when asked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from zksolvency.bn254 import G1_GENERATOR, G2_GENERATOR, G1Point, G2Point
from zksolvency.ceremony.beacon import beacon_ptau_keys
from zksolvency.ceremony.errors import InvalidLink
from zksolvency.ceremony.streams import CHUNK, combination_g1, combination_g2, random_scalars, same_ratio
from zksolvency.circuit.formats.codec import decode_g1_lem, decode_g2_lem, encode_g2_lem
from zksolvency.circuit.formats.ptau import (
    PTAU_SECTION_ALPHA_TAU_G1,
    PTAU_SECTION_BETA_G2,
    PTAU_SECTION_BETA_TAU_G1,
    PTAU_SECTION_LAGRANGE_ALPHA_TAU_G1,
    PTAU_SECTION_LAGRANGE_BETA_TAU_G1,
    PTAU_SECTION_LAGRANGE_TAU_G1,
    PTAU_SECTION_LAGRANGE_TAU_G2,
    PTAU_SECTION_TAU_G1,
    PTAU_SECTION_TAU_G2,
    PTauContribution,
    PTauFile,
)
from zksolvency.groth16 import curve
from zksolvency.groth16.kernels.interface import SectionKernels
from zksolvency.groth16.phase1 import (
    ALPHA,
    BETA,
    G2_SECTIONS,
    PHASE1_POINT_SECTIONS,
    TAU,
    first_challenge_hash,
    next_challenge,
    proof_point,
    response_hash,
    section_counts,
)
from zksolvency.groth16.ptau_dev_record import is_unsafe_dev_ptau

Progress = Callable[[str], None]

#: Each Lagrange section, the monomial section it is the basis of, and its name.
LAGRANGE_OF = {
    PTAU_SECTION_LAGRANGE_TAU_G1: (PTAU_SECTION_TAU_G1, "tauG1"),
    PTAU_SECTION_LAGRANGE_TAU_G2: (PTAU_SECTION_TAU_G2, "tauG2"),
    PTAU_SECTION_LAGRANGE_ALPHA_TAU_G1: (PTAU_SECTION_ALPHA_TAU_G1, "alphaTauG1"),
    PTAU_SECTION_LAGRANGE_BETA_TAU_G1: (PTAU_SECTION_BETA_TAU_G1, "betaTauG1"),
}


@dataclass(frozen=True)
class Phase1Contribution:
    """One verified link of the phase-1 chain, as ``ceremony verify`` prints it."""

    index: int
    name: str | None
    response_hash: bytes
    next_challenge: bytes
    beacon: bytes | None = None
    iterations_exp: int | None = None


@dataclass(frozen=True)
class Phase1Summary:
    """What :func:`check_phase1` established about a ``.ptau``."""

    path: str
    power: int
    ceremony_power: int
    contributions: list[Phase1Contribution]
    #: The hash of the file's points, equal to the last next challenge (``None`` for a reduced file).
    points_hash: bytes | None
    #: ``(section id, domain size)`` of every Lagrange block checked.
    lagrange_blocks: list[tuple[int, int]]
    unsafe_dev: bool


@dataclass(frozen=True)
class _Point:
    """The points a contribution leaves (the empty ceremony: the generators)."""

    tau_g1: G1Point
    tau_g2: G2Point
    alpha_g1: G1Point
    beta_g1: G1Point
    beta_g2: G2Point
    next_challenge: bytes


def key_lagrange_blocks(domain_size: int) -> list[tuple[int, int]]:
    """The Lagrange blocks a key of ``domain_size`` is built from: sections 12-15 at ``n``, 12 at ``2n``."""
    return [(section_id, domain_size) for section_id in LAGRANGE_OF] + [
        (PTAU_SECTION_LAGRANGE_TAU_G1, 2 * domain_size)
    ]


def all_lagrange_blocks(power: int) -> list[tuple[int, int]]:
    """Every block of a prepared file of ``power`` (what snarkjs's ``powersoftau verify`` checks)."""
    out = [(s, 1 << k) for s in LAGRANGE_OF for k in range(power + 1)]
    return [*out, (PTAU_SECTION_LAGRANGE_TAU_G1, 2 << power)]


def _link(index: int, c: PTauContribution) -> str:
    return f"phase 1 contribution #{index}" + (f" ({c.name})" if c.name else "")


def _check_g2_subgroup(sections: SectionKernels, link: str, points: dict[str, G2Point]) -> None:
    for what, p in points.items():
        if p is None or not sections.g2_in_subgroup(encode_g2_lem(p)):
            raise InvalidLink(link, f"{what} is not a point of the order-r subgroup of G2")


def _check_beacon(link: str, c: PTauContribution, challenge: bytes) -> None:
    if c.beacon_hash is None or c.num_iterations_exp is None:
        raise InvalidLink(link, "a beacon contribution without its beacon hash and iterations")
    keys = beacon_ptau_keys(c.beacon_hash, c.num_iterations_exp)
    records = (
        (c.key.tau_g1_s, c.key.tau_g1_sx, c.key.tau_g2_spx),
        (c.key.alpha_g1_s, c.key.alpha_g1_sx, c.key.alpha_g2_spx),
        (c.key.beta_g1_s, c.key.beta_g1_sx, c.key.beta_g2_spx),
    )
    for personalization, ((x, g1_s), (s, sx, spx)) in enumerate(zip(keys, records, strict=True)):
        g1_sx = curve.g1_mul(g1_s, x)
        g2_spx = curve.g2_mul(proof_point(personalization, challenge, g1_s, g1_sx), x)
        if (s, sx, spx) != (g1_s, g1_sx, g2_spx):
            raise InvalidLink(link, "its key is not the one its beacon derives")


def _check_contribution(sections: SectionKernels, index: int, c: PTauContribution, prev: _Point) -> None:
    link = _link(index, c)
    challenge = prev.next_challenge
    if c.type == 1:
        _check_beacon(link, c, challenge)
    elif c.type != 0:
        raise InvalidLink(link, f"unknown contribution type {c.type}")
    elif c.beacon_hash is not None or c.num_iterations_exp is not None:
        raise InvalidLink(link, "a random contribution that carries beacon parameters (relabelled?)")
    k = c.key
    _check_g2_subgroup(
        sections,
        link,
        {
            "tauG2": c.tau_g2,
            "betaG2": c.beta_g2,
            "tau.g2_spx": k.tau_g2_spx,
            "alpha.g2_spx": k.alpha_g2_spx,
            "beta.g2_spx": k.beta_g2_spx,
        },
    )
    proofs = {
        "tau": (TAU, k.tau_g1_s, k.tau_g1_sx, k.tau_g2_spx),
        "alpha": (ALPHA, k.alpha_g1_s, k.alpha_g1_sx, k.alpha_g2_spx),
        "beta": (BETA, k.beta_g1_s, k.beta_g1_sx, k.beta_g2_spx),
    }
    sp: dict[str, G2Point] = {}
    for secret, (personalization, g1_s, g1_sx, g2_spx) in proofs.items():
        sp[secret] = proof_point(personalization, challenge, g1_s, g1_sx)
        if not same_ratio(sections, g1_s, g1_sx, sp[secret], g2_spx):
            raise InvalidLink(link, f"its proof of knowledge of {secret} does not hold for the challenge")
    follows = (
        ("tau*G1", same_ratio(sections, prev.tau_g1, c.tau_g1, sp["tau"], k.tau_g2_spx)),
        ("tau*G2", same_ratio(sections, k.tau_g1_s, k.tau_g1_sx, prev.tau_g2, c.tau_g2)),
        ("alpha*G1", same_ratio(sections, prev.alpha_g1, c.alpha_g1, sp["alpha"], k.alpha_g2_spx)),
        ("beta*G1", same_ratio(sections, prev.beta_g1, c.beta_g1, sp["beta"], k.beta_g2_spx)),
        ("beta*G2", same_ratio(sections, k.beta_g1_s, k.beta_g1_sx, prev.beta_g2, c.beta_g2)),
    )
    for what, ok in follows:
        if not ok:
            raise InvalidLink(link, f"{what} does not follow the previous contribution by the proven secret")


def _reader(ptau: PTauFile, section_id: int) -> Callable[[int, int], bytes]:
    return lambda start, count: ptau.read_points(section_id, start, count)


def _check_section_powers(sections: SectionKernels, ptau: PTauFile, last: PTauContribution) -> None:
    """Step 2 of the module docstring."""
    link = "phase 1 points"
    counts = section_counts(ptau.power)
    firsts = {
        "tauG1[0]": (decode_g1_lem(ptau.read_points(PTAU_SECTION_TAU_G1, 0, 1)), G1_GENERATOR),
        "tauG1[1]": (decode_g1_lem(ptau.read_points(PTAU_SECTION_TAU_G1, 1, 1)), last.tau_g1),
        "tauG2[0]": (decode_g2_lem(ptau.read_points(PTAU_SECTION_TAU_G2, 0, 1)), G2_GENERATOR),
        "tauG2[1]": (decode_g2_lem(ptau.read_points(PTAU_SECTION_TAU_G2, 1, 1)), last.tau_g2),
        "alphaTauG1[0]": (decode_g1_lem(ptau.read_points(PTAU_SECTION_ALPHA_TAU_G1, 0, 1)), last.alpha_g1),
        "betaTauG1[0]": (decode_g1_lem(ptau.read_points(PTAU_SECTION_BETA_TAU_G1, 0, 1)), last.beta_g1),
        "betaG2": (decode_g2_lem(ptau.read_points(PTAU_SECTION_BETA_G2, 0, 1)), last.beta_g2),
    }
    for what, (found, expected) in firsts.items():
        if found != expected:
            raise InvalidLink(link, f"{what} is not the point the last contribution left")
    for section_id, name in (
        (PTAU_SECTION_TAU_G1, "tauG1"),
        (PTAU_SECTION_ALPHA_TAU_G1, "alphaTauG1"),
        (PTAU_SECTION_BETA_TAU_G1, "betaTauG1"),
    ):
        m = counts[section_id] - 1
        r = random_scalars(m)
        read = _reader(ptau, section_id)
        low = combination_g1(sections, read, 0, m, r, name)
        high = combination_g1(sections, read, 1, m, r, name)
        if not same_ratio(sections, low, high, G2_GENERATOR, last.tau_g2):
            raise InvalidLink(link, f"the {name} points are not successive powers of the last tau")
    m = counts[PTAU_SECTION_TAU_G2] - 1
    r = random_scalars(m)
    read = _reader(ptau, PTAU_SECTION_TAU_G2)
    low2 = combination_g2(sections, read, 0, m, r, "tauG2")
    high2 = combination_g2(sections, read, 1, m, r, "tauG2")
    if not same_ratio(sections, G1_GENERATOR, last.tau_g1, low2, high2):
        raise InvalidLink(link, "the tauG2 points are not successive powers of the last tau")


def _points_hash(sections: SectionKernels, ptau: PTauFile, last: PTauContribution, index: int) -> bytes:
    """Step 3: the hash of the file's points after the last response hash."""

    def chunks() -> Iterator[tuple[int, bytes]]:
        for section_id in PHASE1_POINT_SECTIONS:
            count = section_counts(ptau.power)[section_id]
            for start in range(0, count, CHUNK):
                yield section_id, ptau.read_points(section_id, start, min(CHUNK, count - start))

    return next_challenge(response_hash(last, _link(index, last)), chunks(), sections)


def _check_lagrange_block(sections: SectionKernels, ptau: PTauFile, section_id: int, size: int) -> None:
    """Step 4 for one block: ``sum r_i P_i`` (monomials) against ``sum fft(r)_j L_j``."""
    monomial, name = LAGRANGE_OF[section_id]
    available = section_counts(ptau.power)[monomial]
    count = min(size, available)  # the top block of section 12 has no tau^(2n - 1)
    r = random_scalars(count) + bytes(32 * (size - count))
    s = sections.fft(r)
    monomials, lagrange = _reader(ptau, monomial), _reader(ptau, section_id)
    if monomial in G2_SECTIONS:
        same = combination_g2(sections, monomials, 0, count, r, name) == combination_g2(
            sections, lagrange, size - 1, size, s, f"Lagrange {name}"
        )
    else:
        same = combination_g1(sections, monomials, 0, count, r, name) == combination_g1(
            sections, lagrange, size - 1, size, s, f"Lagrange {name}"
        )
    if not same:
        raise InvalidLink(
            "phase 1 Lagrange points",
            f"the {name} block of domain 2^{size.bit_length() - 1} is not the Lagrange basis of the powers",
        )


def check_phase1(
    ptau: PTauFile,
    sections: SectionKernels,
    lagrange_blocks: Sequence[tuple[int, int]] = (),
    progress: Progress | None = None,
) -> Phase1Summary:
    """Steps 1-4 of the module docstring; :class:`InvalidLink` names the first link that fails."""
    say = progress or (lambda _m: None)
    if not ptau.contributions:
        raise InvalidLink("phase 1", f"{ptau.what} has no contribution: it is not a ceremony file")
    say(f"phase 1: the first challenge of a power-{ptau.ceremony_power} ceremony")
    prev = _Point(
        G1_GENERATOR,
        G2_GENERATOR,
        G1_GENERATOR,
        G1_GENERATOR,
        G2_GENERATOR,
        first_challenge_hash(ptau.ceremony_power),
    )
    links = []
    for index, c in enumerate(ptau.contributions, start=1):
        say(f"phase 1: contribution {index} of {len(ptau.contributions)} ({c.name or 'no name'})")
        _check_contribution(sections, index, c, prev)
        links.append(
            Phase1Contribution(
                index,
                c.name,
                response_hash(c, _link(index, c)),
                c.next_challenge,
                c.beacon_hash if c.type == 1 else None,
                c.num_iterations_exp if c.type == 1 else None,
            )
        )
        prev = _Point(c.tau_g1, c.tau_g2, c.alpha_g1, c.beta_g1, c.beta_g2, c.next_challenge)
    last = ptau.contributions[-1]
    say(f"phase 1: the points of a power-{ptau.power} file")
    _check_section_powers(sections, ptau, last)
    points_hash = None
    if ptau.power == ptau.ceremony_power:
        say("phase 1: hashing the points")
        points_hash = _points_hash(sections, ptau, last, len(ptau.contributions))
        if points_hash != last.next_challenge:
            raise InvalidLink(
                "phase 1 points", "their hash is not the next challenge of the last contribution"
            )
    if lagrange_blocks and not ptau.prepared:
        raise InvalidLink("phase 1", f"{ptau.what} is not prepared for phase 2 (no Lagrange sections)")
    for section_id, size in lagrange_blocks:
        say(f"phase 1: Lagrange block of section {section_id}, domain {size}")
        _check_lagrange_block(sections, ptau, section_id, size)
    return Phase1Summary(
        path=ptau.what,
        power=ptau.power,
        ceremony_power=ptau.ceremony_power,
        contributions=links,
        points_hash=points_hash,
        lagrange_blocks=list(lagrange_blocks),
        unsafe_dev=is_unsafe_dev_ptau(ptau),
    )
