"""No dev key on a real chain: what may be deployed or published where.

A verifier is only as good as its key's setup (``ceremony.provenance``). On a
local development chain anything goes; anywhere else, the key must come from a
verified multi-party ceremony, proven by its provenance record (re-checked
here, ``check_provenance``), unless the caller explicitly accepts an unsafe
setup (``--allow-unsafe-setup``), which is then said loudly.

*Local* is decided by the chain id the node reports (or the deployment
records), not by the URL: anvil's default chain id 31337 (also Hardhat's) is a
development chain by convention and no public network uses it. A node on
127.0.0.1 with another chain id (a fork of a public chain, say) is *not*
local: a dev key deployed there could be mistaken for a real one.
"""

from __future__ import annotations

from zksolvency.ceremony.errors import InvalidLink
from zksolvency.ceremony.provenance import SetupProvenance, check_provenance
from zksolvency.chain.anvil import ANVIL_CHAIN_ID
from zksolvency.chain.errors import ChainError
from zksolvency.groth16.backends import get_backend

#: Chain ids of local development chains.
LOCAL_CHAIN_IDS = frozenset({ANVIL_CHAIN_ID})
ALLOW_FLAG = "--allow-unsafe-setup"


class UnsafeSetupRefused(ChainError):
    """A key that is not from a verified ceremony, headed for a chain that is not local."""


def is_local_chain(chain_id: int) -> bool:
    return chain_id in LOCAL_CHAIN_IDS


def unsafe_reason(record: SetupProvenance | None, key_sha256: str) -> str | None:
    """Why the key named ``key_sha256`` is not fit for a public chain; ``None`` when it is."""
    if record is None:
        return "no provenance record for the key (give the record `ceremony verify --provenance` wrote)"
    try:
        check_provenance(record, key_sha256, get_backend().sections)
    except InvalidLink as exc:
        return f"its provenance record does not hold: {exc}"
    return None if record.trusted else record.describe()


def guard_setup(
    chain_id: int, record: SetupProvenance | None, key_sha256: str, allow_unsafe: bool, action: str
) -> str | None:
    """Refuse ``action`` (e.g. "deploy") of key ``key_sha256`` to ``chain_id`` unless it is safe there.

    A local development chain takes any key, silently. Elsewhere: ``None`` for a
    key from a verified ceremony, a warning to show when an unsafe key goes ahead
    because of ``allow_unsafe``; :class:`UnsafeSetupRefused` otherwise. Nothing
    has been sent when it raises.
    """
    if is_local_chain(chain_id):
        return None
    reason = unsafe_reason(record, key_sha256)
    if reason is None:
        return None
    if allow_unsafe:
        return (
            f"{action} on chain {chain_id} ({ALLOW_FLAG}) with a key not from a verified ceremony: {reason}"
        )
    raise UnsafeSetupRefused(
        f"refusing to {action} on chain {chain_id}, which is not a local development chain (id "
        f"{ANVIL_CHAIN_ID}): the key is not from a verified ceremony: {reason}. Run a ceremony "
        f"(docs/setup.md), or pass {ALLOW_FLAG} to {action} anyway"
    )
