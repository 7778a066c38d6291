"""``trades deploy`` and ``trades settle``: put a state's gate on chain, then move it batch by batch.

``deploy_gate_for`` sets up the chosen trade circuit (cached), renders and compiles its two-input
verifier with ``SettlementGate`` and deploys both with the state's current root and the oracle
committee (k of n) whose signatures the gate will require on every snapshot.

``settle_folder`` settles one proven batch folder: it first checks the folder alone
(:func:`zksolvency.trades.verify_batch.verify_batch_folder`), that the gate was deployed for the
batch's verification key, and that the gate's root and next batch id are the batch's old root and
id (so that a batch out of order is refused here, in words, before any transaction), registers
the batch's snapshot with the committee's ``TradeSnapshot`` signatures when the gate does not
know it yet (the signatures file must be about the folder's ``market.json`` and the batch's
snapshot hash), and sends ``settle``. The gate checks all of it again on chain.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from zksolvency.chain.keys import load_account
from zksolvency.chain.settlement import (
    SettledBatch,
    SettlementDeployment,
    build_settlement_artifact,
    deploy_settlement,
    gate_contract,
    read_gate,
    read_settlement,
    register_trade_snapshot,
    settle_batch,
)
from zksolvency.chain.setup_guard import guard_setup
from zksolvency.chain.tx import connect
from zksolvency.chain.verifier_render import verification_key_hash
from zksolvency.circuit.formats.snarkjs_json import read_proof, read_vkey
from zksolvency.errors import InputError
from zksolvency.oracle.committee import Committee
from zksolvency.oracle.signatures_file import read_signatures
from zksolvency.round.circuits import prepare_keys
from zksolvency.state.store import read_state
from zksolvency.trades.batch_folder import MARKET, PROOF, VKEY, read_batch
from zksolvency.trades.circuits import choose_trade_circuit, trade_circuit
from zksolvency.trades.verify_batch import (
    trade_signature_problems,
    trade_signatures_path,
    verify_batch_folder,
)

Say = Callable[[str], None]


def _quiet(_message: str) -> None:
    return None


def deploy_gate_for(
    state_folder: Path,
    rpc_url: str,
    key: str,
    committee: Committee,
    circuit_name: str | None = None,
    scenarios: int | None = None,
    allow_unsafe_setup: bool = False,
    say: Say = _quiet,
) -> tuple[SettlementDeployment, str | None]:
    """Deploy a verifier and ``SettlementGate`` for ``state_folder``'s root; returns the deployment
    and a warning to show (a dev key allowed on a public chain), if any."""
    state, root = read_state(state_folder)
    if circuit_name is not None:
        circuit = trade_circuit(circuit_name)
    else:
        if scenarios is None:
            raise InputError("give --circuit, or the market's scenario count to choose one")
        circuit = choose_trade_circuit(
            state.circuit_assets, state.circuit_instruments, scenarios, state.depth, 1
        )
    if (circuit.size.assets, circuit.size.instruments, circuit.size.depth) != (
        state.circuit_assets,
        state.circuit_instruments,
        state.depth,
    ):
        raise InputError(f"trade circuit {circuit.name} does not fit the state's size and depth")
    keys = prepare_keys(circuit.entry, say=say)
    w3 = connect(rpc_url)
    warning = guard_setup(
        int(w3.eth.chain_id), keys.provenance, keys.zkey_sha256, allow_unsafe_setup, "deploy"
    )
    artifact = build_settlement_artifact(read_vkey(keys.vkey))
    shape = (circuit.size.assets, circuit.size.instruments, circuit.size.scenarios)
    deployment = deploy_settlement(w3, load_account(key), artifact, root, committee, shape)
    from dataclasses import replace

    return replace(deployment, rpc_url=rpc_url), warning


def _register_snapshot(
    folder: Path,
    snapshot_hash: int,
    signatures: Path | None,
    deployment: SettlementDeployment,
    rpc_url: str | None,
    key: str,
) -> None:
    """Register the folder's snapshot with the committee's signatures, after checking them here."""
    path = trade_signatures_path(folder, signatures)
    if not path.is_file():
        raise InputError(
            f"{folder}: the gate does not know snapshot {snapshot_hash}, and there is no {path}: give "
            "--signatures, the committee's TradeSnapshot signatures of the batch's market.json "
            "(zksolvency market sign --for trades)"
        )
    signed = read_signatures(path)
    problems = trade_signature_problems(folder, signed, deployment.shape, snapshot_hash)
    if problems:
        raise InputError(f"{path} is not about {folder / MARKET}: {'; '.join(problems)}; nothing was sent")
    register_trade_snapshot(deployment, rpc_url, key, signed)


def settle_folder(
    folder: Path, deployment_file: Path, rpc_url: str | None, key: str, signatures: Path | None = None
) -> SettledBatch:
    """Settle the proven batch in ``folder`` through the gate of ``deployment_file``; ``signatures``:
    the committee's ``TradeSnapshot`` signatures, needed when the gate does not know the snapshot
    (default: ``market.trade-signatures.json`` in ``folder``)."""
    report = verify_batch_folder(folder)
    if not report.ok:
        failed = "; ".join(f"{c.name}: {c.detail}" for c in report.checks if not c.ok)
        raise InputError(f"{folder}: the batch does not verify ({failed}); nothing was sent")
    batch = read_batch(folder)
    deployment = read_settlement(deployment_file)
    vk_hash = verification_key_hash(read_vkey(folder / VKEY))
    if vk_hash != deployment.verification_key_hash:
        raise InputError(
            f"{folder}: its verification key ({vk_hash}) is not the one the gate was deployed with "
            f"({deployment.verification_key_hash}): proven with another circuit or setup"
        )
    gate = read_gate(deployment, rpc_url)
    if gate.root != batch.old_root:
        raise InputError(
            f"{folder}: the batch starts from root {batch.old_root}, but the gate holds {gate.root} "
            "(settle the batches in the order they were proven)"
        )
    if gate.next_batch_id != batch.batch_id:
        raise InputError(f"{folder}: batch id {batch.batch_id}, but the gate expects {gate.next_batch_id}")
    _, contract = gate_contract(deployment, rpc_url)
    if not contract.functions.isSnapshotRegistered(batch.snapshot_hash).call():
        _register_snapshot(folder, batch.snapshot_hash, signatures, deployment, rpc_url, key)
    return settle_batch(
        deployment,
        rpc_url,
        key,
        batch.new_root,
        batch.trades_commitment,
        batch.snapshot_hash,
        batch.batch_id,
        batch.batch_time,
        batch.fee_bps,
        read_proof(folder / PROOF),
    )
