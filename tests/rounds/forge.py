"""A dishonest operator's toolkit: a real root proof over a chosen list of batch proofs.

The attacks of the outside audit (issue 11) need bundles a real prover made, not bundles
edited by hand. The forger here holds the round's keys (as every operator does),
recovers each batch's root and sums from the private inclusion files it wrote, picks
which batch proofs to list (one twice, or one from another round), proves a *real* root
proof over them with the shipped root circuit, and writes a bundle whose manifest is
consistent with that choice, computed the way the audit recomputes it. The audit must
still refuse it.
"""

from __future__ import annotations

import json
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from zksolvency.bn254 import R
from zksolvency.circuit.formats.snarkjs_json import write_proof, write_public
from zksolvency.circuit.formats.zkey import read_zkey_raw
from zksolvency.circuit.witness import WitnessCalculator
from zksolvency.groth16.native_prove import prove_raw
from zksolvency.ledger.batch import batch_digest
from zksolvency.ledger.commitment import sums_hash
from zksolvency.ledger.round_tree import MerkleTree4, round_public_value, totals_of
from zksolvency.ledger.sumtree import root_from_path
from zksolvency.model.market import read_market
from zksolvency.round.bundle import Bundle, batch_files
from zksolvency.round.circuits import load_manifest, prepare_keys
from zksolvency.round.inclusion import INDEX_FILE
from zksolvency.round.inclusion_verify import read_inclusion
from zksolvency.round.totals import check_totals


@dataclass(frozen=True)
class ProvenBatch:
    """A batch as the root circuit takes it: where its proof is, its commitment, root and sums."""

    bundle: Path
    index: int
    commitment: int
    root: int
    sums: tuple[int, ...]


def proven_batches(bundle: Path, inclusion_dir: Path) -> list[ProvenBatch]:
    """Every batch of ``bundle`` holding a real account, its root and sums read off an inclusion path."""
    found: dict[int, ProvenBatch] = {}
    listed = Bundle(bundle).commitments()
    index: dict[str, str] = json.loads((inclusion_dir / INDEX_FILE).read_text(encoding="utf-8"))
    for name in index.values():
        parsed = read_inclusion(inclusion_dir / name)
        root = root_from_path(parsed.leaf.node, parsed.batch_path)
        b = parsed.batch_index
        found[b] = ProvenBatch(bundle, b, listed[b], root.hash, (*root.sums, parsed.cost_sum))
    return [found[k] for k in sorted(found)]


def forge_bundle(template: Path, out: Path, batches: list[ProvenBatch], round_id: int) -> Path:
    """A bundle at ``out`` listing ``batches`` (proofs copied), with a real root proof over them.

    ``template`` gives the snapshot, keys and circuit sizes. The root circuit gets each
    listed batch's root and sums, the snapshot's hash and ``round_id``, exactly as the
    operator's prover would; the manifest lists the batches' own commitments (their
    proofs' public signals) and the global root, totals and public value computed from
    them.
    """
    shutil.copytree(template, out)
    bundle = Bundle(out)
    manifest = bundle.manifest
    shutil.rmtree(out / "batches")
    (out / "batches").mkdir()
    slots = bundle.integer("slots")
    market_digest = bundle.integer("market", "hash")
    size = load_manifest().batch_circuit(str(bundle.field("circuits", "batch", "name")), None).size
    market = read_market(out / "market.json")
    padding = batch_digest(market, [], size, round_id)

    entries = []
    for position, batch in enumerate(batches):
        proof_file, public_file = batch_files(position)
        item = Bundle(batch.bundle).batch_proof(batch.index)
        write_proof(out / proof_file, item.proof)
        write_public(out / public_file, item.public)
        entries.append({"commitment": str(batch.commitment), "proof": proof_file, "public": public_file})
    totals = totals_of([b.sums for b in batches], len(batches[0].sums))
    global_root = MerkleTree4(
        [b.commitment for b in batches] + [padding.commitment] * (slots - len(batches))
    ).root

    root_entry = load_manifest().root_circuit(size.assets, size.instruments, slots)
    keys = prepare_keys(root_entry)
    pad = slots - len(batches)
    inputs = {
        "batchRoot": [b.root for b in batches] + [padding.root] * pad,
        "batchSums": [list(b.sums) for b in batches] + [list(padding.sums)] * pad,
        "marketHash": market_digest,
        "roundId": round_id,
    }
    witness = WitnessCalculator(str(keys.wasm)).calculate(inputs)
    proof, public = prove_raw(
        read_zkey_raw(str(keys.zkey)), witness, secrets.randbelow(R), secrets.randbelow(R)
    )
    write_proof(out / "root.proof.json", proof)
    write_public(out / "root.public.json", public)

    named = manifest["totals"]
    assert isinstance(named, dict)
    named["vector"] = [str(t) for t in totals]
    names_a, names_i = list(named["balances"]), list(named["positions"])
    named["balances"] = {name: str(totals[k]) for k, name in enumerate(names_a)}
    named["positions"] = {name: str(totals[size.assets + k]) for k, name in enumerate(names_i)}
    named["cost"] = str(totals[-1])
    check_totals(named, market, size, len(batches))  # the forger's totals are well formed
    manifest.update(
        round_id=str(round_id),
        batches=entries,
        padding_commitment=str(padding.commitment),
        global_root=str(global_root),
        totals_hash=str(sums_hash(totals)),
        public_value=str(round_public_value(global_root, sums_hash(totals), market_digest, round_id)),
    )
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return out
