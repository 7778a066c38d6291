"""Trusted-setup ceremonies: phase 2 from phase-1 files, transcript checks, provenance (docs/setup.md)."""

from zksolvency.ceremony.contribute import beacon_key, contribute_key
from zksolvency.ceremony.errors import InvalidLink
from zksolvency.ceremony.phase1_check import Phase1Summary, check_phase1
from zksolvency.ceremony.phase2_chain import Phase2Chain, check_chain
from zksolvency.ceremony.provenance import SetupProvenance, check_provenance
from zksolvency.ceremony.start import CeremonyStart, start_ceremony
from zksolvency.ceremony.verify import CeremonyReport, verify_ceremony

__all__ = [
    "CeremonyReport",
    "CeremonyStart",
    "InvalidLink",
    "Phase1Summary",
    "Phase2Chain",
    "SetupProvenance",
    "beacon_key",
    "check_chain",
    "check_phase1",
    "check_provenance",
    "contribute_key",
    "start_ceremony",
    "verify_ceremony",
]
