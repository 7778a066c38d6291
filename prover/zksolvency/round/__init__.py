"""Rounds: prove a whole exchange into one bundle; audit it; check one account's inclusion."""

from zksolvency.round.audit import audit_bundle
from zksolvency.round.bundle import Bundle
from zksolvency.round.inclusion_verify import verify_inclusion
from zksolvency.round.plan import InsolventAccount, InsolventAccounts
from zksolvency.round.prove import Progress, RoundOptions, RoundResult, prove_round
from zksolvency.round.report import Check, Report

__all__ = [
    "Bundle",
    "Check",
    "InsolventAccount",
    "InsolventAccounts",
    "Progress",
    "Report",
    "RoundOptions",
    "RoundResult",
    "audit_bundle",
    "prove_round",
    "verify_inclusion",
]
