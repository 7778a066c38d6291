"""The bundle of a round: a directory anyone can check with nothing else.

Layout (every proof and key in the snarkjs formats)::

    manifest.json                       what was proven (below)
    market.json                         the snapshot, byte for byte as the operator gave it
    keys/batch_verification_key.json    the batch circuit's verification key
    keys/node_verification_key.json     the node circuit's (rounds with levels of nodes only)
    keys/root_verification_key.json     the root circuit's verification key
    batches/NNNNNN.proof.json, .public.json   one proof per batch (public: its commitment c_b)
    levels/L/NNNNNN.proof.json, .public.json  one proof per node of level L (public:
                                        Poseidon(root over its children, its commitment))
    root.proof.json, root.public.json   the root proof (public: P)
    oracle/...                          the committee's signatures (when given)

``manifest.json`` (``format`` ``zksolvency-bundle/2``; every big integer a decimal string):
``round_id``; ``market`` (file, SHA-256 of its bytes, ``hash`` = MarketHash of the snapshot
padded to the circuit); ``circuits.batch`` / ``circuits.root`` (name, size, constraints,
SHA-256 of ``.r1cs``, ``.zkey`` and of the verification key file, its path; a batch
circuit whose last slots are fixed padding adds ``live``, the accounts per batch); ``setup``
(whether the keys come from an UNSAFE dev ptau); ``accounts`` (the count, or the
``--pad-to`` count with ``padded: true``); ``batches`` (per batch its commitment
``Poseidon(root, sums hash, market hash, round id)`` and files); ``levels`` (per level of
the tree of roots, bottom up, its ``fan_in`` and per node its commitment and files; empty
when the top root takes the batches, ``round.levels``); ``slots`` (the top root's) and
``padding_commitment``; ``global_root``; ``totals`` (the vector of ``A + I + 1`` sums:
balances, net positions, the cost total; the same by asset and instrument name, and
``cost``); ``totals_hash``; ``public_value`` (``P``); ``root_proof``; ``oracle`` (the two
oracle files and their SHA-256, when the round was proven with signatures); ``proving``
(executor, workers, wall time); ``generator`` (tool and versions).

Version 2 (issues 11 and 16) added the cost total to the sums, the round id to every batch
commitment, and the levels of nodes; a version-1 bundle is refused by name.

Writing is atomic for the whole directory: it is built in a temporary sibling and then
renamed into place. An existing bundle at the same path is swapped out in one
``renameat2(RENAME_EXCHANGE)`` where the kernel offers it (Linux), so a crash leaves
either the old bundle or the new one; elsewhere the old one is first renamed aside
(``.NAME.old-*``), leaving a moment in which only that copy exists.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import platform
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from zksolvency import __version__
from zksolvency.circuit.formats.snarkjs_json import (
    Proof,
    VerificationKey,
    read_proof,
    read_public,
    read_vkey,
    write_proof,
    write_public,
    write_vkey,
)
from zksolvency.circuit.solvency_inputs import CircuitSize
from zksolvency.errors import FormatError

BUNDLE_FORMAT = "zksolvency-bundle/2"
MANIFEST = "manifest.json"
MARKET = "market.json"
ROOT_PROOF = "root.proof.json"
ROOT_PUBLIC = "root.public.json"


def vkey_file(circuit: str) -> str:
    """Relative path of the verification key of ``circuit`` (``batch``, ``node`` or ``root``)."""
    return f"keys/{circuit}_verification_key.json"


def proof_files(level: int, index: int) -> tuple[str, str]:
    """Relative paths of proof ``index`` of ``level``'s proof and public signals (0: batches)."""
    folder = "batches" if level == 0 else f"levels/{level}"
    return f"{folder}/{index:06d}.proof.json", f"{folder}/{index:06d}.public.json"


def batch_files(index: int) -> tuple[str, str]:
    """Relative paths of batch ``index``'s proof and public signals."""
    return proof_files(0, index)


@dataclass(frozen=True)
class BundleProof:
    proof: Proof
    public: list[int]


@dataclass(frozen=True)
class BundleContents:
    """Everything a bundle holds, ready to write; ``proofs`` (``(level, index, proof)`` of every
    batch and node) may be a generator, read as it is written."""

    manifest: dict[str, object]
    market_bytes: bytes
    vkeys: Mapping[str, VerificationKey]
    proofs: Iterable[tuple[int, int, BundleProof]]
    root: BundleProof
    extra_files: Mapping[str, bytes] = field(default_factory=dict)  # relative path -> bytes (oracle/)


def _rename_exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux's renameat2; False where unavailable."""
    if platform.system() != "Linux":
        return False
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return bool(result == 0)


def replace_directory(new: Path, target: Path) -> None:
    """Move the finished directory ``new`` to ``target``, replacing what is there atomically."""
    if not target.exists():
        os.rename(new, target)
        return
    if _rename_exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # ``new`` now holds the old contents
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.rmdir(aside)
    os.rename(target, aside)
    os.rename(new, target)
    shutil.rmtree(aside, ignore_errors=True)


def build_directory(target: Path, fill: Callable[[Path], None], mode: int = 0o755) -> None:
    """Create a temporary sibling of ``target``, ``fill`` it, then put it in place atomically.

    The temporary folder is private (0700) while it fills; it gets ``mode`` just before the rename.
    """
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        fill(tmp)
        os.chmod(tmp, mode)
        replace_directory(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_bundle(out: Path, contents: BundleContents) -> None:
    """Write the bundle directory ``out`` atomically (see the module docstring)."""

    def fill(folder: Path) -> None:
        (folder / MARKET).write_bytes(contents.market_bytes)
        for circuit, vkey in contents.vkeys.items():
            write_vkey(folder / vkey_file(circuit), vkey)
        for level, index, item in contents.proofs:
            proof_path, public_path = proof_files(level, index)
            write_proof(folder / proof_path, item.proof)
            write_public(folder / public_path, item.public)
        write_proof(folder / ROOT_PROOF, contents.root.proof)
        write_public(folder / ROOT_PUBLIC, contents.root.public)
        for relative, data in contents.extra_files.items():
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_bytes(data)
        (folder / MANIFEST).write_text(json.dumps(contents.manifest, indent=2, ensure_ascii=False) + "\n")

    build_directory(out, fill)


def generator_info() -> dict[str, object]:
    """The tool and versions that made a bundle (circom2 only when installed)."""
    versions: dict[str, str] = {"zksolvency": __version__, "python": platform.python_version()}
    try:
        from zksolvency import toolchain

        versions["circom2"] = toolchain.tool_version("circom2")
    except Exception:  # the bundle is still valid without the compiler's version
        pass
    return {"name": "zksolvency round prove", "versions": versions}


# --- reading ------------------------------------------------------------------------------


class Bundle:
    """A bundle on disk: its manifest, parsed strictly, and typed access to its files."""

    def __init__(self, path: Path) -> None:
        self.path = path
        where = path / MANIFEST
        try:
            document = json.loads(where.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise FormatError(f"{path}: not a bundle (no {MANIFEST})") from None
        except (OSError, ValueError) as exc:
            raise FormatError(f"{where}: unreadable: {exc}") from None
        if not isinstance(document, dict) or document.get("format") != BUNDLE_FORMAT:
            got = document.get("format") if isinstance(document, dict) else None
            raise FormatError(f"{where}: format {got!r}, expected {BUNDLE_FORMAT!r}")
        self.manifest: dict[str, object] = document

    def field(self, *keys: str | int) -> object:
        """The manifest value at ``keys``; ``FormatError`` naming the path when absent."""
        value: object = self.manifest
        for key in keys:
            if isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
                value = value[key]
                continue
            if not (isinstance(value, dict) and isinstance(key, str) and key in value):
                path = ".".join(str(k) for k in keys)
                raise FormatError(f"{self.path / MANIFEST}: no field {path}")
            value = value[key]
        return value

    def integer(self, *keys: str | int) -> int:
        value = self.field(*keys)
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise FormatError(f"{self.path / MANIFEST}: {'.'.join(map(str, keys))} is not an integer")
        try:
            return int(value)
        except ValueError:
            raise FormatError(
                f"{self.path / MANIFEST}: {'.'.join(map(str, keys))} is not an integer"
            ) from None

    def text(self, *keys: str | int) -> str:
        value = self.field(*keys)
        if not isinstance(value, str):
            raise FormatError(f"{self.path / MANIFEST}: {'.'.join(map(str, keys))} is not a string")
        return value

    def file(self, relative: str) -> Path:
        """A file named by the manifest; refuses paths that leave the bundle."""
        candidate = (self.path / relative).resolve()
        if self.path.resolve() not in candidate.parents:
            raise FormatError(f"{self.path / MANIFEST}: path {relative!r} leaves the bundle")
        return candidate

    def batch_count(self) -> int:
        batches = self.field("batches")
        if not isinstance(batches, list):
            raise FormatError(f"{self.path / MANIFEST}: batches is not a list")
        return len(batches)

    def commitments(self) -> list[int]:
        return [self.integer("batches", k, "commitment") for k in range(self.batch_count())]

    def batch_proof(self, index: int) -> BundleProof:
        return BundleProof(
            read_proof(self.file(self.text("batches", index, "proof"))),
            read_public(self.file(self.text("batches", index, "public"))),
        )

    def level_count(self) -> int:
        """Levels of nodes between the batches and the top root (0 for most rounds)."""
        levels = self.manifest.get("levels", [])
        if not isinstance(levels, list):
            raise FormatError(f"{self.path / MANIFEST}: levels is not a list")
        return len(levels)

    def fan_in(self, level: int) -> int:
        return self.integer("levels", level - 1, "fan_in")

    def level_commitments(self, level: int) -> list[int]:
        """The commitments listed at ``level`` (0: the batches)."""
        if level == 0:
            return self.commitments()
        nodes = self.field("levels", level - 1, "nodes")
        if not isinstance(nodes, list):
            raise FormatError(f"{self.path / MANIFEST}: levels[{level - 1}].nodes is not a list")
        return [self.integer("levels", level - 1, "nodes", k, "commitment") for k in range(len(nodes))]

    def node_proof(self, level: int, index: int) -> BundleProof:
        where = ("levels", level - 1, "nodes", index)
        return BundleProof(
            read_proof(self.file(self.text(*where, "proof"))),
            read_public(self.file(self.text(*where, "public"))),
        )

    def root_proof(self) -> BundleProof:
        return BundleProof(
            read_proof(self.file(self.text("root_proof", "proof"))),
            read_public(self.file(self.text("root_proof", "public"))),
        )

    def batch_size(self) -> CircuitSize:
        """The batch circuit's template parameters ``(A, I, S, B, L)`` as the manifest records them.

        ``live`` (``L``) is recorded only where it is not ``B``.
        """
        recorded = self.field("circuits", "batch")
        has_live = isinstance(recorded, dict) and "live" in recorded
        try:
            return CircuitSize(
                self.integer("circuits", "batch", "assets"),
                self.integer("circuits", "batch", "instruments"),
                self.integer("circuits", "batch", "scenarios"),
                self.integer("circuits", "batch", "batch"),
                self.integer("circuits", "batch", "live") if has_live else 0,
            )
        except ValueError as exc:
            raise FormatError(f"{self.path / MANIFEST}: circuits.batch: {exc}") from None

    def vkey(self, which: str) -> VerificationKey:
        return read_vkey(self.file(self.text("circuits", which, "vkey")))
