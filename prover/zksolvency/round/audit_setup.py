"""The audit's setup check: do the bundle's keys come from a verified ceremony, and are they these keys?

For each of the batch and the root key, the manifest's ``setup.batch`` /
``setup.root`` holds the key's provenance record (``ceremony.provenance``).
The check named ``batch key setup`` / ``root key setup``:

1. reads the record, and re-checks with the bundle's verification key what a
   verification key alone can confirm (``check_provenance``): the record names
   this key, its phase-2 chain (the MPC section it carries) verifies, the key's
   ``delta2`` is that chain's last delta, and the transcript hash is the
   chain's;
2. passes for a verified ``ceremony`` key, naming its contributors and its
   transcript hash; for a ``dev`` or ``single-party`` key (someone could forge
   proofs) it fails, unless the caller allows them (``allow_dev_setup``,
   ``audit --allow-dev-setup``): then it passes, says so, and a warning stays.

A bundle without records (from before setup provenance) has keys of unknown
origin: treated like a dev setup.
"""

from __future__ import annotations

from zksolvency.ceremony.errors import InvalidLink
from zksolvency.ceremony.provenance import SetupProvenance, check_provenance, vkey_sha256
from zksolvency.circuit.formats.snarkjs_json import VerificationKey
from zksolvency.groth16.backends import get_backend
from zksolvency.round.bundle import Bundle
from zksolvency.round.report import Report

ALLOW_FLAG = "--allow-dev-setup"


def check_setup(
    bundle: Bundle,
    report: Report,
    vkeys: dict[str, VerificationKey | None],
    allow_dev_setup: bool,
    backend: str | None = None,
) -> None:
    """Add one check per key (see the module docstring) to ``report``."""
    setup = bundle.manifest.get("setup")
    sections = get_backend(backend).sections
    for which in ("batch", "node", "root"):
        if which == "node" and "node" not in vkeys:
            continue

        def step(which: str = which) -> tuple[bool, str]:
            raw = setup.get(which) if isinstance(setup, dict) else None
            if raw is None:
                return _unsafe(report, allow_dev_setup, which, "the manifest records no provenance for it")
            record = SetupProvenance.from_json(raw, f"manifest setup.{which}")
            vkey = vkeys[which]
            if vkey is None:
                return False, "no usable verification key to check the record against"
            try:
                check_provenance(record, vkey_sha256(vkey), sections)
            except InvalidLink as exc:
                return False, f"its provenance record does not hold: {exc}"
            if record.trusted:
                return True, record.describe()
            return _unsafe(report, allow_dev_setup, which, record.describe())

        report.attempt(f"{which} key setup", step)


def _unsafe(report: Report, allowed: bool, which: str, what: str) -> tuple[bool, str]:
    if allowed:
        report.warnings.append(f"the {which} key is not from a verified ceremony ({what}); accepted as asked")
        return True, f"{what}; accepted ({ALLOW_FLAG})"
    return False, f"{what}: not from a verified multi-party ceremony (pass {ALLOW_FLAG} to accept it)"
