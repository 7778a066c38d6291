"""The circuits of a round: which shipped sizes to use, and their compiled files and keys.

``circuits/manifest.json`` lists the shipped batch circuits (``solvency``: ``A, I, S, B``
and, where fewer than ``B`` slots may hold an account, ``live`` = ``L``) and root circuits
(``root``: ``A, I`` and the number of slots ``NB``). A round uses one batch circuit
(chosen by shape name and batch size, the accounts per batch ``L``; without a size, the
entry marked ``default`` of that shape, else its largest) and the smallest root circuit
of the same ``A, I`` with at least as many slots as the round has batches.

Keys are made once and kept in the key cache, ``$ZKSOLVENCY_CACHE/round-keys`` (or
``~/.cache/zksolvency/round-keys``), one folder per circuit, compiled ``.r1cs`` hash and
phase-1 file: ``circuit.zkey``, ``verification_key.json`` and ``info.json`` (hashes,
sizes, whether the setup is UNSAFE, and the key's provenance record: ``dev``,
``single-party`` or a verified ``ceremony``, see ``ceremony.provenance``). Without a
ceremony ``.ptau`` the phase-1 file is an UNSAFE single-party dev ptau, also cached
(``ptau/potNN_unsafe.ptau``), and every key made from it says so. With one, the key is
this machine's single-party setup, unless a ceremony's final key was installed for the
circuit and that ``.ptau`` (``round.ceremony_keys``, ``zksolvency ceremony install``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from zksolvency.ceremony.contribute import read_key_chain
from zksolvency.ceremony.phase2_chain import check_chain
from zksolvency.ceremony.provenance import SetupProvenance, provenance_of_own_setup
from zksolvency.circuit.compile import CompiledCircuit, cache_dir, compile_circuit
from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.circuit.formats.r1cs import read_r1cs
from zksolvency.circuit.formats.snarkjs_json import VerificationKey, write_vkey
from zksolvency.circuit.formats.zkey import read_zkey_header, write_zkey_raw
from zksolvency.circuit.solvency_inputs import CircuitSize
from zksolvency.errors import SetupError
from zksolvency.families import MANIFEST, REPO, SOLVENCY, manifest_entries
from zksolvency.groth16.kernels import DEFAULT_BACKEND, get_section_kernels
from zksolvency.groth16.ptau_dev import MAX_DEV_POWER, generate_dev_ptau, is_unsafe_dev_ptau
from zksolvency.groth16.setup import domain_power, setup_raw
from zksolvency.groth16.vkey import export_vkey
from zksolvency.ledger.round_tree import slot_count

Say = Callable[[str], None]


def _quiet(_message: str) -> None:
    return None


@dataclass(frozen=True)
class CircuitEntry:
    """One shipped main: a batch circuit (``batch`` set) or a root circuit (``slots`` set)."""

    name: str
    main: Path
    assets: int
    instruments: int
    scenarios: int = 0
    batch: int = 0
    slots: int = 0
    #: Slots that may hold an account (batch circuits; 0: all ``batch`` of them).
    live: int = 0
    #: The shape's batch circuit when ``round prove`` is given no ``--batch-size``.
    default: bool = False

    @property
    def size(self) -> CircuitSize:
        """The batch circuit's template parameters (batch circuits only)."""
        return CircuitSize(self.assets, self.instruments, self.scenarios, self.batch, self.live)

    def describe(self) -> dict[str, object]:
        """The entry as the bundle manifest records it (``live`` only where it is not ``batch``)."""
        out: dict[str, object] = {"name": self.name, "assets": self.assets, "instruments": self.instruments}
        if self.batch:
            out.update(scenarios=self.scenarios, batch=self.batch)
            if self.live and self.live != self.batch:
                out.update(live=self.live)
        else:
            out.update(slots=self.slots)
        return out


@dataclass(frozen=True)
class Manifest:
    batches: tuple[CircuitEntry, ...]
    roots: tuple[CircuitEntry, ...]
    nodes: tuple[CircuitEntry, ...] = ()

    def batch_circuit(self, shape: str, batch: int | None) -> CircuitEntry:
        """The batch circuit with the shape ``(A, I, S)`` of entry ``shape`` and ``batch`` accounts.

        ``batch`` is the accounts one batch proof carries (``L``); ``None``: the shape's
        entry marked ``default``, else its largest.
        """
        named = [e for e in self.batches if e.name == shape]
        if not named:
            raise SetupError(f"no circuit size {shape!r} in {MANIFEST.name} (choose from: {self.shapes()})")
        dims = (named[0].assets, named[0].instruments, named[0].scenarios)
        same = sorted(
            (e for e in self.batches if (e.assets, e.instruments, e.scenarios) == dims),
            key=lambda e: (e.size.live, e.batch),
        )
        if batch is None:
            return next((e for e in same if e.default), same[-1])
        for entry in same:
            if entry.size.live == batch:
                return entry
        shipped = ", ".join(str(e.size.live) for e in same)
        raise SetupError(f"circuit size {shape!r} ships batch sizes {shipped}, not {batch}")

    def root_circuit(self, assets: int, instruments: int, batches: int) -> CircuitEntry:
        """The smallest root circuit for ``A, I`` with at least ``batches`` slots."""
        fits = sorted(
            (e for e in self.roots if (e.assets, e.instruments) == (assets, instruments)),
            key=lambda e: e.slots,
        )
        for entry in fits:
            if entry.slots >= max(1, batches):
                return entry
        largest = fits[-1].slots if fits else 0
        raise SetupError(
            f"{batches} batches need a root circuit with {slot_count(batches)} slots; "
            f"{MANIFEST.name} ships at most {largest} for A={assets}, I={instruments} "
            "(use a larger batch size, or add a main_root_*.circom and a manifest entry)"
        )

    def root_slots(self, assets: int, instruments: int) -> list[int]:
        """The slot counts of the shipped root circuits for ``A, I``."""
        return sorted(e.slots for e in self.roots if (e.assets, e.instruments) == (assets, instruments))

    def node_circuit(self, assets: int, instruments: int, fan_in: int | None) -> CircuitEntry:
        """The node circuit for ``A, I`` with ``fan_in`` children (``None``: the largest shipped)."""
        fits = sorted(
            (e for e in self.nodes if (e.assets, e.instruments) == (assets, instruments)),
            key=lambda e: e.slots,
        )
        if not fits:
            raise SetupError(f"{MANIFEST.name} ships no node circuit for A={assets}, I={instruments}")
        if fan_in is None:
            return fits[-1]
        for entry in fits:
            if entry.slots == fan_in:
                return entry
        shipped = ", ".join(str(e.slots) for e in fits)
        raise SetupError(
            f"--fan-in {fan_in}: the node circuits for A={assets}, I={instruments} take {shipped}"
        )

    def shapes(self) -> str:
        return ", ".join(dict.fromkeys(e.name for e in self.batches))


def _entry(raw: dict[str, object], kind: str) -> CircuitEntry:
    try:
        name, main = str(raw["name"]), REPO / str(raw["main"])
        keys = ("assets", "instruments", "scenarios", "batch", "slots", "live")
        ints = {k: int(str(raw.get(k, 0))) for k in keys}
        default = raw.get("default", False)
        if not isinstance(default, bool):
            raise ValueError(f"default is {default!r}, not true or false")
    except (KeyError, ValueError) as exc:
        raise SetupError(f"{MANIFEST}: malformed {kind} entry {raw!r}: {exc}") from None
    return CircuitEntry(name, main, **ints, default=default)


def load_manifest(path: Path = MANIFEST) -> Manifest:
    """The solvency family's shipped batch, root and node circuits of ``circuits/manifest.json``."""
    return Manifest(
        *(
            tuple(_entry(e, kind) for e in manifest_entries(SOLVENCY, kind, path))
            for kind in ("solvency", "root", "node")
        )
    )


# --- keys -------------------------------------------------------------------------------


def keys_root() -> Path:
    """``$ZKSOLVENCY_CACHE/round-keys`` (beside the compile cache)."""
    return cache_dir().parent / "round-keys"


def dev_ptau_dir() -> Path:
    return cache_dir().parent / "ptau"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class CircuitKeys:
    """A compiled circuit and its keys, with the hashes the bundle records."""

    entry: CircuitEntry
    r1cs: Path
    wasm: Path
    zkey: Path
    vkey: Path
    constraints: int
    domain_power: int
    r1cs_sha256: str
    zkey_sha256: str
    vkey_sha256: str
    unsafe: bool
    ptau: str
    #: Where the key comes from: a verified ceremony, a single-party setup or the dev setup.
    provenance: SetupProvenance


def _find_dev_ptau(power: int) -> Path | None:
    """The smallest cached dev ptau of at least ``power`` (a bigger one serves smaller domains)."""
    found: list[tuple[int, Path]] = []
    for path in dev_ptau_dir().glob("pot*_unsafe.ptau"):
        digits = path.name[3:].split("_", 1)[0]
        if digits.isdigit() and int(digits) >= power:
            found.append((int(digits), path))
    return min(found)[1] if found else None


def dev_ptau(power: int, backend: str | None, say: Say = _quiet) -> Path:
    """A cached UNSAFE dev ptau of at least ``power``, generated when there is none."""
    if power > MAX_DEV_POWER:
        raise SetupError(
            f"a domain of 2^{power} needs a ceremony ptau (dev ptaus stop at power "
            f"{MAX_DEV_POWER}); pass --ptau"
        )
    existing = _find_dev_ptau(power)
    if existing is not None:
        return existing
    path = dev_ptau_dir() / f"pot{power}_unsafe.ptau"
    say(f"phase 1: generating an UNSAFE dev ptau of power {power} ({path})")
    generate_dev_ptau(path, power, backend=backend)
    return path


def _vkey_from_zkey(zkey: Path) -> VerificationKey:
    return export_vkey(read_zkey_header(zkey))


def _make_zkey(r1cs_path: Path, ptau_path: Path, out: Path, backend: str, say: Say) -> bool:
    """Setup + one random contribution into ``out``; True when the ptau is an UNSAFE dev file."""
    r1cs = read_r1cs(r1cs_path)
    with PTauFile(ptau_path) as ptau:
        unsafe = is_unsafe_dev_ptau(ptau)
        write_zkey_raw(out, setup_raw(r1cs, ptau, "zksolvency round setup", backend, progress=say))
    return unsafe


def _own_provenance(zkey: Path, ptau_name: str, unsafe: bool) -> SetupProvenance:
    """The record of a key this machine made alone: ``dev`` or ``single-party`` (``ceremony.provenance``)."""
    header, mpc = read_key_chain(zkey)
    chain = check_chain(get_section_kernels(), mpc, header.delta1, header.delta2)
    return provenance_of_own_setup(mpc, chain, export_vkey(header), ptau_name, dev=unsafe)


def compiled_circuit(entry: CircuitEntry) -> tuple[CompiledCircuit, str]:
    """``entry`` compiled (cached in the key store) and its ``.r1cs``'s SHA-256."""
    compiled = compile_circuit(entry.main, out_dir=keys_root() / "build" / entry.name)
    return compiled, sha256_file(compiled.r1cs)


def key_folder(entry: CircuitEntry, r1cs_sha256: str, ptau: Path | None) -> Path:
    """The key store's folder for ``entry``'s ``.r1cs`` and a phase-1 file (``None``: the dev ptau)."""
    ptau_tag = "unsafe-dev" if ptau is None else hashlib.sha256(str(ptau.resolve()).encode()).hexdigest()[:16]
    return keys_root() / f"{entry.name}-{r1cs_sha256[:16]}-{ptau_tag}"


def write_key_folder(folder: Path, fill: Callable[[Path], dict[str, object]], replace: bool = False) -> None:
    """Make ``folder`` in one rename: ``fill(tmp)`` writes ``circuit.zkey`` into ``tmp`` and returns ``info``.

    The verification key and ``info.json`` (``info`` plus the key hashes) are added
    here. ``replace``: an existing folder is swapped out; otherwise a concurrent
    run that got there first wins.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        info = fill(tmp)
        write_vkey(tmp / "verification_key.json", _vkey_from_zkey(tmp / "circuit.zkey"))
        info["zkey_sha256"] = sha256_file(tmp / "circuit.zkey")
        info["vkey_sha256"] = sha256_file(tmp / "verification_key.json")
        (tmp / "info.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        if replace and folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=folder.parent))
            os.rename(folder, old / "key")
            shutil.rmtree(old, ignore_errors=True)
        try:
            os.rename(tmp, folder)
        except OSError:
            if not (folder / "info.json").is_file():  # not a concurrent run that got there first
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def prepare_keys(
    entry: CircuitEntry, ptau: Path | None = None, backend: str | None = None, say: Say = _quiet
) -> CircuitKeys:
    """Compile ``entry`` (cached) and set it up (cached per ``.r1cs`` and phase-1 file).

    ``ptau`` ``None``: an UNSAFE dev ptau from the cache (generated if missing).
    A key installed from a verified ceremony (``round.ceremony_keys``) for the
    same ``.r1cs`` and phase-1 file is used as it is.
    """
    backend = backend or DEFAULT_BACKEND
    compiled, r1cs_sha = compiled_circuit(entry)
    r1cs = read_r1cs(compiled.r1cs)
    power = domain_power(r1cs)
    folder = key_folder(entry, r1cs_sha, ptau)
    info_path = folder / "info.json"
    if not info_path.is_file():
        say(f"setup: {entry.name} ({r1cs.n_constraints:,} constraints, domain 2^{power}, {backend} backend)")
        phase1 = ptau if ptau is not None else dev_ptau(power, backend, say)

        def fill(tmp: Path) -> dict[str, object]:
            unsafe = _make_zkey(compiled.r1cs, phase1, tmp / "circuit.zkey", backend, say)
            ptau_name = "UNSAFE single-party dev ptau" if unsafe else phase1.name
            return {
                "circuit": entry.name,
                "constraints": r1cs.n_constraints,
                "domain_power": power,
                "r1cs_sha256": r1cs_sha,
                "unsafe": unsafe,
                "ptau": ptau_name,
                "provenance": _own_provenance(tmp / "circuit.zkey", ptau_name, unsafe).to_json(),
            }

        write_key_folder(folder, fill)
    info = json.loads(info_path.read_text(encoding="utf-8"))
    zkey = folder / "circuit.zkey"
    provenance = (
        SetupProvenance.from_json(info["provenance"], str(info_path))
        if "provenance" in info
        else _own_provenance(zkey, str(info["ptau"]), bool(info["unsafe"]))  # a key store from before
    )
    return CircuitKeys(
        entry=entry,
        r1cs=compiled.r1cs,
        wasm=compiled.wasm,
        zkey=zkey,
        vkey=folder / "verification_key.json",
        constraints=int(info["constraints"]),
        domain_power=int(info["domain_power"]),
        r1cs_sha256=str(info["r1cs_sha256"]),
        zkey_sha256=str(info["zkey_sha256"]),
        vkey_sha256=str(info["vkey_sha256"]),
        unsafe=bool(info["unsafe"]),
        ptau=str(info["ptau"]),
        provenance=provenance,
    )
