"""Where a proving key comes from, as a record that travels with its verification key.

Three kinds of key:

* ``ceremony``: a multi-party phase 2 verified end to end by ``ceremony
  verify`` (phase-1 chain, circuit, every contribution, final key) before the
  record was written. Sound as long as one contributor of each phase destroyed
  their secret.
* ``single-party``: a real phase-1 file, but phase 2 made by one party alone
  (``groth16 setup``, ``round prove --ptau``): that party could keep delta
  and forge proofs (with ``gamma = G2``, knowing delta is enough).
* ``dev``: the UNSAFE dev ptau: whoever made it knows tau, alpha and beta.

The record (JSON, ``format`` ``zksolvency-setup-provenance/1``) holds the
circuit hash, the transcript hash (``phase2_chain``), every contribution's
name and hash, the key's MPC section itself (hex), the verification key and
its SHA-256 (``chain.verifier_render.verification_key_hash``, the name the
contracts and deployments give it) and what was known of the phase-1 file.
:func:`check_provenance` re-checks what can be re-checked without the
``.zkey``: the record is about the expected key, its MPC section's phase-2
chain verifies, and the key's ``delta2`` is that chain's last delta.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zksolvency import __version__
from zksolvency.bn254 import G1_GENERATOR
from zksolvency.ceremony.errors import InvalidLink
from zksolvency.ceremony.phase2_chain import Phase2Chain, check_chain
from zksolvency.ceremony.verify import CeremonyReport
from zksolvency.circuit.formats.snarkjs_json import VerificationKey, vkey_from_json, vkey_to_json
from zksolvency.circuit.formats.zkey import MPCParams, decode_mpc_params, encode_mpc_params
from zksolvency.errors import FormatError
from zksolvency.groth16.kernels.interface import SectionKernels
from zksolvency.groth16.phase2 import CONTRIBUTION_RANDOM
from zksolvency.util.atomic import atomic_write_text

PROVENANCE_FORMAT = "zksolvency-setup-provenance/1"
CEREMONY = "ceremony"
SINGLE_PARTY = "single-party"
DEV = "dev"
KINDS = (CEREMONY, SINGLE_PARTY, DEV)


def vkey_sha256(vk: VerificationKey) -> str:
    """The verification key's name everywhere (rendered contract, artifact, deployment)."""
    from zksolvency.chain.verifier_render import verification_key_hash  # web3's helpers: load on use

    return verification_key_hash(vk)


@dataclass(frozen=True)
class SetupProvenance:
    """See the module docstring."""

    kind: str
    circuit_hash: str
    transcript_hash: str
    contributions: list[dict[str, object]]
    mpc_params: str
    verification_key_sha256: str
    verification_key: dict[str, Any]
    phase1: dict[str, object] = field(default_factory=dict)
    r1cs_sha256: str | None = None

    @property
    def trusted(self) -> bool:
        """Only a verified multi-party ceremony is: see the module docstring."""
        return self.kind == CEREMONY

    def describe(self) -> str:
        names = ", ".join(str(c.get("name") or "(no name)") for c in self.contributions)
        if self.kind == CEREMONY:
            return f"verified ceremony, transcript {self.transcript_hash[:16]}..., contributors: {names}"
        if self.kind == SINGLE_PARTY:
            return f"single-party phase 2 ({names}) on the phase-1 file {self.phase1.get('file')}"
        return "UNSAFE single-party dev setup: whoever made it can forge proofs"

    def to_json(self) -> dict[str, Any]:
        return {
            "format": PROVENANCE_FORMAT,
            "kind": self.kind,
            "circuit_hash": self.circuit_hash,
            "transcript_hash": self.transcript_hash,
            "contributions": self.contributions,
            "verification_key_sha256": self.verification_key_sha256,
            "verification_key": self.verification_key,
            "r1cs_sha256": self.r1cs_sha256,
            "phase1": self.phase1,
            "mpc_params": self.mpc_params,
            "generator": {"name": "zksolvency", "version": __version__},
        }

    @classmethod
    def from_json(cls, obj: Any, what: str = "provenance") -> SetupProvenance:
        try:
            if obj["format"] != PROVENANCE_FORMAT:
                raise FormatError(f"{what}: format {obj['format']!r}, expected {PROVENANCE_FORMAT!r}")
            kind = str(obj["kind"])
            if kind not in KINDS:
                raise FormatError(f"{what}: kind {kind!r} is none of {', '.join(KINDS)}")
            return cls(
                kind=kind,
                circuit_hash=str(obj["circuit_hash"]),
                transcript_hash=str(obj["transcript_hash"]),
                contributions=[dict(c) for c in obj["contributions"]],
                mpc_params=str(obj["mpc_params"]),
                verification_key_sha256=str(obj["verification_key_sha256"]),
                verification_key=dict(obj["verification_key"]),
                phase1=dict(obj.get("phase1") or {}),
                r1cs_sha256=obj.get("r1cs_sha256"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise FormatError(
                f"{what}: not a setup provenance record ({type(exc).__name__}: {exc})"
            ) from None


def combined_kind(records: list[SetupProvenance]) -> str:
    """One kind for several keys: ``ceremony`` only if every key is, ``dev`` if any key is."""
    if all(r.trusted for r in records):
        return CEREMONY
    return DEV if any(r.kind == DEV for r in records) else SINGLE_PARTY


def _contributions(chain: Phase2Chain) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for c in chain.contributions:
        entry: dict[str, object] = {"index": c.index, "name": c.name, "hash": c.hash.hex()}
        if c.beacon is not None:
            entry.update(beacon=c.beacon.hex(), iterations_exp=c.iterations_exp)
        out.append(entry)
    return out


def provenance_from_report(report: CeremonyReport, mpc: MPCParams, vk: VerificationKey) -> SetupProvenance:
    """The record of a key ``ceremony verify`` checked (with its R1CS): ``ceremony``, or ``dev``."""
    p1 = report.phase1
    return SetupProvenance(
        kind=DEV if p1.unsafe_dev else CEREMONY,
        circuit_hash=report.chain.circuit_hash.hex(),
        transcript_hash=report.chain.transcript_hash.hex(),
        contributions=_contributions(report.chain),
        mpc_params=encode_mpc_params(mpc).hex(),
        verification_key_sha256=vkey_sha256(vk),
        verification_key=vkey_to_json(vk),
        phase1={
            "file": Path(p1.path).name,
            "power": p1.power,
            "ceremony_power": p1.ceremony_power,
            "contributions": [c.name for c in p1.contributions],
            "points_hash": p1.points_hash.hex() if p1.points_hash is not None else None,
            "verified": True,
        },
        r1cs_sha256=report.r1cs_sha256,
    )


def provenance_of_own_setup(
    mpc: MPCParams, chain: Phase2Chain, vk: VerificationKey, ptau_name: str, dev: bool
) -> SetupProvenance:
    """The record of a key this machine made alone (``dev`` or ``single-party``), not verified."""
    return SetupProvenance(
        kind=DEV if dev else SINGLE_PARTY,
        circuit_hash=chain.circuit_hash.hex(),
        transcript_hash=chain.transcript_hash.hex(),
        contributions=_contributions(chain),
        mpc_params=encode_mpc_params(mpc).hex(),
        verification_key_sha256=vkey_sha256(vk),
        verification_key=vkey_to_json(vk),
        phase1={"file": ptau_name, "verified": False},
    )


def check_provenance(record: SetupProvenance, key_sha256: str, sections: SectionKernels) -> Phase2Chain:
    """What the record claims that can be re-checked without the ``.zkey`` (module docstring).

    ``key_sha256`` names the verification key the record must be about (a
    bundle's key, a deployment's artifact). Raises :class:`InvalidLink` when the
    record is about another key or its chain does not verify, ``FormatError``
    when it cannot be read.
    """
    vk = vkey_from_json(record.verification_key, "provenance verification_key")
    if vkey_sha256(vk) != record.verification_key_sha256:
        raise InvalidLink("provenance", "the recorded verification key is not the one its hash names")
    if record.verification_key_sha256 != key_sha256:
        raise InvalidLink(
            "provenance", f"the record is about key {record.verification_key_sha256}, not {key_sha256}"
        )
    try:
        mpc = decode_mpc_params(bytes.fromhex(record.mpc_params), "provenance mpc_params")
    except ValueError:
        raise FormatError("provenance: mpc_params is not hexadecimal") from None
    if mpc.cs_hash.hex() != record.circuit_hash:
        raise InvalidLink("provenance", "the recorded circuit hash is not the MPC section's")
    delta1 = mpc.contributions[-1].delta_after if mpc.contributions else G1_GENERATOR
    chain = check_chain(sections, mpc, delta1, vk.delta2)
    if chain.transcript_hash.hex() != record.transcript_hash:
        raise InvalidLink("provenance", "the recorded transcript hash is not the MPC section's")
    if record.trusted and not any(c.type == CONTRIBUTION_RANDOM for c in mpc.contributions):
        raise InvalidLink("provenance", "no contribution with a secret: delta is public")
    return chain


def write_provenance(path: str | os.PathLike[str], record: SetupProvenance) -> None:
    atomic_write_text(path, json.dumps(record.to_json(), indent=1) + "\n")


def read_provenance(path: str | os.PathLike[str]) -> SetupProvenance:
    """A provenance record, or the root key's record in a bundle's ``manifest.json``."""
    try:
        obj = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise FormatError(f"{path}: not valid JSON ({exc})") from None
    if isinstance(obj, dict) and obj.get("format") != PROVENANCE_FORMAT and "setup" in obj:
        setup = obj["setup"]
        if not isinstance(setup, dict) or "root" not in setup:
            raise FormatError(f"{path}: the bundle manifest records no provenance for its root key")
        return SetupProvenance.from_json(setup["root"], f"{path}: setup.root")
    return SetupProvenance.from_json(obj, str(path))
