"""Compile a circom circuit to ``.r1cs``, ``.sym`` and the witness ``.wasm``, with a cache.

The compiler is npm's ``circom2`` (circom 2.2.3 built for WebAssembly/WASI and run
by node), or a native circom of the same release named by ``$ZKSOLVENCY_CIRCOM``
(``toolchain.circom_compiler``: WebAssembly holds at most 4 GiB, too little for
circuits above about a million constraints). The cache keys name the compiler, so
the two never share an entry. circom2's sandbox only sees folders below the working directory, which
breaks circuits as people write them:

* an ``include`` whose path is absolute, or that climbs out of the working
  directory with ``..``, fails with "The file ... to be included has not been
  found";
* the ``-o`` folder must already exist and be reachable from the working folder.

So we never let circom see the real file system. We resolve the include closure
ourselves, the way circom does (relative to the including file's folder first,
then each ``-l`` library folder in order; circomlib's parent folder, the
toolchain's ``node_modules``, is always the last library folder, so that
``include "circomlib/circuits/poseidon.circom";`` works), copy every source
into a temporary folder that mirrors the files' real layout below their common
ancestor, and run circom there with relative paths only. Includes written with
``../..`` inside that tree keep working unchanged; an include circom could not
follow (an absolute path) is rewritten, in the staged copy only, to the
relative path of the staged file. The compiler's messages are rewritten back to
the real paths before they reach the user.

Outputs use circom's layout, ``NAME.r1cs``, ``NAME.sym`` and
``NAME_js/NAME.wasm`` (with circom's ``witness_calculator.js`` and
``generate_witness.js`` beside it), and are written into ``out_dir``: by default
``build/`` beside the circuit. Each output is first written into a temporary
folder inside ``out_dir`` and then renamed into place, so a reader sees old
outputs or new ones, never a mix of half-written files.

The cache (``$ZKSOLVENCY_CACHE`` or ``~/.cache/zksolvency``, subfolder
``circom/``) is keyed by the SHA-256 of the compiler version, the flags, and
every source file's path relative to the staged tree together with its bytes.
Relative paths make the key independent of where the checkout lives; a hit
copies the stored outputs without running circom.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zksolvency import toolchain
from zksolvency.errors import CompileError, ToolchainError

#: What circom2 (the WebAssembly build) prints when its WASI shim overflows a 32-bit buffer
#: offset while writing its outputs: a random failure of large compiles, retried.
WASM_BUFFER_FLAKE = "is outside the bounds of the buffer"
WASM_BUFFER_RETRIES = 2
#: Optimisation levels circom accepts (``--O0``, ``--O1``, ``--O2``).
OPTIMIZE_LEVELS = ("O0", "O1", "O2")

#: Environment variable naming the cache folder.
CACHE_ENV = "ZKSOLVENCY_CACHE"

#: Folder, beside the circuit, that receives outputs when no ``out_dir`` is given.
DEFAULT_OUT_SUBDIR = "build"

#: Time limit for one compilation, in seconds (large circuits take minutes).
COMPILE_TIMEOUT = 3600.0

#: Bumped when the staging or cache layout changes, so old entries are not reused.
_CACHE_FORMAT = "1"
_REPORT_FILE = "circom-report.txt"

_COMMENT_OR_STRING = re.compile(r'"|//|/\*')
_INCLUDE = re.compile(r'\binclude\s*"([^"\n]*)"\s*;')


@dataclass(frozen=True)
class CompiledCircuit:
    """Where the outputs of one compilation are."""

    name: str
    r1cs: Path
    sym: Path
    wasm: Path
    out_dir: Path
    #: Every source file that went in, the main file first.
    sources: tuple[Path, ...] = ()
    #: True when the outputs were copied from the cache instead of compiled.
    cached: bool = False
    #: circom's own summary (template instances, constraints, wires, ...).
    report: str = ""

    @property
    def js_dir(self) -> Path:
        return self.wasm.parent


@dataclass(frozen=True)
class Include:
    """One ``include "...";`` statement and what it resolved to."""

    source: Path
    literal: str
    #: Character span of the literal's text (between the quotes) in ``source``.
    span: tuple[int, int]
    line: int
    target: Path
    #: The library folder it was found in, or ``None`` when found beside ``source``.
    library: Path | None


@dataclass
class IncludeClosure:
    """The main file, every file it includes (transitively), and how each include resolved."""

    main: Path
    files: dict[Path, bytes] = field(default_factory=dict)
    includes: list[Include] = field(default_factory=list)

    @property
    def used_libraries(self) -> list[Path]:
        seen: list[Path] = []
        for inc in self.includes:
            if inc.library is not None and inc.library not in seen:
                seen.append(inc.library)
        return seen


def default_out_dir(circuit: str | os.PathLike[str]) -> Path:
    """``<circuit's folder>/build``: where outputs go when the caller names no folder."""
    return Path(circuit).resolve().parent / DEFAULT_OUT_SUBDIR


def cache_dir() -> Path:
    """The compile cache folder: ``$ZKSOLVENCY_CACHE/circom`` or ``~/.cache/zksolvency/circom``."""
    base = os.environ.get(CACHE_ENV)
    root = Path(base).expanduser() if base else Path.home() / ".cache" / "zksolvency"
    return root / "circom"


def blank_comments(text: str) -> str:
    """Replace ``//`` and ``/* */`` comments by spaces, keeping offsets and line breaks.

    String literals are respected, so ``include "a//b.circom";`` keeps its path.
    """
    pieces: list[str] = []
    i, n = 0, len(text)
    while True:
        m = _COMMENT_OR_STRING.search(text, i)
        if m is None:
            pieces.append(text[i:])
            break
        start = m.start()
        pieces.append(text[i:start])
        token = m.group(0)
        if token == '"':
            j = text.find('"', start + 1)
            j = n if j < 0 else j + 1
            pieces.append(text[start:j])
        elif token == "//":
            j = text.find("\n", start)
            j = n if j < 0 else j
            pieces.append(" " * (j - start))
        else:
            j = text.find("*/", start + 2)
            j = n if j < 0 else j + 2
            pieces.append(re.sub(r"[^\n]", " ", text[start:j]))
        i = j
    return "".join(pieces)


def find_includes(text: str) -> list[tuple[str, tuple[int, int], int]]:
    """``(path literal, span of the literal, line number)`` of every include outside comments."""
    cleaned = blank_comments(text)
    return [
        (m.group(1), m.span(1), cleaned.count("\n", 0, m.start()) + 1) for m in _INCLUDE.finditer(cleaned)
    ]


def default_library_dirs() -> list[Path]:
    """Library folders always searched last: the toolchain's ``node_modules`` (holds circomlib)."""
    try:
        return [toolchain.circomlib_dir().parent]
    except ToolchainError:
        return []


def resolve_includes(
    path: str | os.PathLike[str], include_dirs: Sequence[str | os.PathLike[str]] = ()
) -> IncludeClosure:
    """Read the main file and, transitively, every file it includes.

    Each include is looked up like circom does: beside the including file, then
    in each of ``include_dirs``, then in the default library folders. Raises
    ``CompileError`` naming the file and line of an include that is not found.
    """
    main = Path(path).resolve()
    if not main.is_file():
        raise CompileError(f"{path}: no such circuit file")
    libraries = [Path(d).resolve() for d in include_dirs]
    for lib in libraries:
        if not lib.is_dir():
            raise CompileError(f"{lib}: include folder (-l) does not exist")
    for lib in default_library_dirs():
        if lib not in libraries:
            libraries.append(lib)
    closure = IncludeClosure(main)
    queue = [main]
    while queue:
        current = queue.pop()
        if current in closure.files:
            continue
        data = current.read_bytes()
        closure.files[current] = data
        text = _decode(current, data)
        for literal, span, line in find_includes(text):
            target, library = _lookup(current, literal, line, libraries)
            closure.includes.append(Include(current, literal, span, line, target, library))
            if target not in closure.files:
                queue.append(target)
    return closure


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CompileError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def _lookup(source: Path, literal: str, line: int, libraries: Sequence[Path]) -> tuple[Path, Path | None]:
    if os.path.isabs(literal):
        candidate = Path(literal)
        if candidate.is_file():
            return candidate.resolve(), None
        searched = [str(candidate)]
    else:
        bases: list[tuple[Path, Path | None]] = [(source.parent, None)]
        bases += [(lib, lib) for lib in libraries]
        for base, lib in bases:
            candidate = base / literal
            if candidate.is_file():
                return candidate.resolve(), lib
        searched = [str(base) for base, _ in bases]
    hint = ""
    if literal.startswith("circomlib/") and not default_library_dirs():
        hint = f"; circomlib is not installed: run `{toolchain.INSTALL_COMMAND}`"
    raise CompileError(
        f'{source}:{line}: included file "{literal}" not found (searched {", ".join(searched)}){hint}'
    )


@dataclass(frozen=True)
class _Stage:
    """How the closure is laid out in the staging folder (paths relative to its ``src/``)."""

    root: Path
    rel: dict[Path, str]
    contents: dict[str, bytes]
    libraries: list[str]

    def staged(self, real: Path) -> str:
        return self.rel[real]


def _plan_stage(closure: IncludeClosure) -> _Stage:
    """Mirror the sources below their common ancestor; rewrite includes circom could not follow."""
    anchors = [str(p) for p in closure.files] + [str(lib) for lib in closure.used_libraries]
    root = Path(os.path.commonpath(anchors))
    if root in closure.files:  # a single file: its folder is the root
        root = root.parent
    rel = {real: "src/" + real.relative_to(root).as_posix() for real in closure.files}
    libraries = [
        "src/" + lib.relative_to(root).as_posix() if lib != root else "src" for lib in closure.used_libraries
    ]
    edits: dict[Path, list[tuple[tuple[int, int], str]]] = {}
    for inc in closure.includes:
        staged_dir = Path(rel[inc.source]).parent
        wanted = rel[inc.target]
        if os.path.isabs(inc.literal):
            reachable = False
        elif inc.library is None:
            reachable = os.path.normpath(staged_dir / inc.literal) == wanted
        else:
            lib_rel = libraries[closure.used_libraries.index(inc.library)]
            reachable = os.path.normpath(Path(lib_rel) / inc.literal) == wanted
        if not reachable:
            replacement = os.path.relpath(wanted, staged_dir).replace(os.sep, "/")
            edits.setdefault(inc.source, []).append((inc.span, replacement))
    contents: dict[str, bytes] = {}
    for real, data in closure.files.items():
        if real in edits:
            text = data.decode("utf-8")
            for (start, end), replacement in sorted(edits[real], reverse=True):
                text = text[:start] + replacement + text[end:]
            data = text.encode("utf-8")
        contents[rel[real]] = data
    return _Stage(root, rel, contents, libraries)


def _flags(optimize: str) -> list[str]:
    if optimize not in OPTIMIZE_LEVELS:
        raise CompileError(f"optimize must be one of {', '.join(OPTIMIZE_LEVELS)}, not {optimize!r}")
    return ["--r1cs", "--wasm", "--sym", f"--{optimize}"]


def _cache_key(stage: _Stage, main_rel: str, flags: Sequence[str], compiler: str) -> str:
    """SHA-256 over the compiler version, flags, library folders and every staged file (path + bytes)."""
    h = hashlib.sha256()

    def put(item: bytes) -> None:
        h.update(len(item).to_bytes(8, "little"))
        h.update(item)

    for item in (_CACHE_FORMAT, compiler, " ".join(flags), main_rel, "\0".join(stage.libraries)):
        put(item.encode())
    for rel in sorted(stage.contents):
        put(rel.encode())
        put(stage.contents[rel])
    return h.hexdigest()


def compile_circuit(
    path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str] | None = None,
    include_dirs: Sequence[str | os.PathLike[str]] = (),
    optimize: str = "O2",
    *,
    use_cache: bool = True,
    timeout: float = COMPILE_TIMEOUT,
) -> CompiledCircuit:
    """Compile ``path`` with ``circom2 --r1cs --wasm --sym --O2`` into ``out_dir``.

    ``out_dir`` defaults to ``build/`` beside the circuit; ``include_dirs`` are
    circom's ``-l`` folders. Raises ``CompileError`` with circom's own message
    (paths rewritten to the real files) when the circuit does not compile, and
    ``ToolchainError`` when circom2 is not installed.
    """
    flags = _flags(optimize)
    closure = resolve_includes(path, include_dirs)
    name = closure.main.stem
    target_dir = Path(out_dir).resolve() if out_dir is not None else default_out_dir(closure.main)
    stage = _plan_stage(closure)
    main_rel = stage.staged(closure.main)
    compiler = toolchain.circom_compiler()
    key = _cache_key(stage, main_rel, flags, compiler.label)
    entry = cache_dir() / key
    cached = use_cache and _complete(entry, name)
    if cached:
        report = _install(entry, name, target_dir)
    else:
        with tempfile.TemporaryDirectory(prefix="zksolvency-circom-") as tmp:
            produced = _run_circom(Path(tmp), compiler, stage, main_rel, flags, closure, timeout)
            if use_cache:
                _store(produced, entry)
            report = _install(produced, name, target_dir)
    return CompiledCircuit(
        name=name,
        r1cs=target_dir / f"{name}.r1cs",
        sym=target_dir / f"{name}.sym",
        wasm=target_dir / f"{name}_js" / f"{name}.wasm",
        out_dir=target_dir,
        sources=tuple(closure.files),
        cached=cached,
        report=report,
    )


def _outputs(name: str) -> list[str]:
    return [f"{name}.r1cs", f"{name}.sym", f"{name}_js"]


def _complete(folder: Path, name: str) -> bool:
    return (
        all((folder / item).exists() for item in _outputs(name))
        and (folder / f"{name}_js" / f"{name}.wasm").is_file()
    )


def _run_circom(
    tmp: Path,
    compiler: toolchain.CircomCompiler,
    stage: _Stage,
    main_rel: str,
    flags: Sequence[str],
    closure: IncludeClosure,
    timeout: float,
) -> Path:
    """Write the staged tree under ``tmp``, run circom there, return the folder with its outputs."""
    for rel, data in stage.contents.items():
        dest = tmp / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    for lib in stage.libraries:
        (tmp / lib).mkdir(parents=True, exist_ok=True)
    out = tmp / "out"
    out.mkdir()
    cmd = [*compiler.command, main_rel, *flags, "-o", "out"]
    for lib in stage.libraries:
        cmd += ["-l", lib]
    real_paths = {rel: str(real) for real, rel in stage.rel.items()}
    tool = compiler.label.split()[0]
    proc = toolchain.run_tool(cmd, cwd=tmp, timeout=timeout, tool=tool, check=False)
    for _ in range(WASM_BUFFER_RETRIES):
        if proc.returncode == 0 or WASM_BUFFER_FLAKE not in proc.stderr + proc.stdout:
            break
        # circom2's WASI shim fails at random when circom's memory passes 2 GiB (a negative
        # 32-bit offset when it writes an output file); the same run usually succeeds again.
        for leftover in out.iterdir():
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        proc = toolchain.run_tool(cmd, cwd=tmp, timeout=timeout, tool=tool, check=False)
    if proc.returncode != 0:
        message = (proc.stderr.strip() or proc.stdout.strip()) or f"exit status {proc.returncode}, no message"
        raise CompileError(f"circom rejected {closure.main}:\n{_unstage(message, real_paths)}")
    name = closure.main.stem
    if not _complete(out, name):
        raise CompileError(
            f"circom reported success for {closure.main} but wrote no {name}.r1cs/.sym/.wasm: "
            + _unstage(proc.stdout + proc.stderr, real_paths).strip()
        )
    report = _summary(proc.stdout + proc.stderr)
    (out / _REPORT_FILE).write_text(_unstage(report, real_paths), encoding="utf-8")
    (out / "sources.json").write_text(json.dumps(sorted(stage.contents)), encoding="utf-8")
    return out


def _summary(text: str) -> str:
    """circom's report without the lines that name staging paths."""
    keep = [
        line
        for line in text.splitlines()
        if line.strip() and not line.startswith("Written successfully") and "Everything went okay" not in line
    ]
    return "\n".join(keep) + "\n"


def _unstage(text: str, real_paths: dict[str, str]) -> str:
    """Replace staged relative paths (``src/...``) in circom's messages by the real paths."""
    for rel in sorted(real_paths, key=len, reverse=True):
        text = text.replace(rel, real_paths[rel])
    return text


def _copy_tree_into(src: Path, names: Iterable[str], dest: Path) -> None:
    for item in names:
        source = src / item
        if source.is_dir():
            shutil.copytree(source, dest / item)
        elif source.exists():
            shutil.copy2(source, dest / item)


def _store(produced: Path, entry: Path) -> None:
    """Add a cache entry atomically: fill a temporary folder, then rename it to the key."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{entry.name[:16]}.", dir=entry.parent))
    try:
        _copy_tree_into(produced, sorted(p.name for p in produced.iterdir()), tmp)
        try:
            os.rename(tmp, entry)
        except OSError:
            if not entry.is_dir():  # not a concurrent writer that got there first
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _install(produced: Path, name: str, target_dir: Path) -> str:
    """Copy outputs into ``target_dir`` (a temporary folder inside it first, then renames).

    Returns circom's report stored beside the outputs.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=target_dir))
    try:
        items = _outputs(name)
        _copy_tree_into(produced, items, tmp)
        for item in items:
            new, final = tmp / item, target_dir / item
            if new.is_dir():
                old = tmp / f"{item}.old"
                if final.exists():
                    os.rename(final, old)
                os.rename(new, final)
            else:
                os.replace(new, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report = produced / _REPORT_FILE
    return report.read_text(encoding="utf-8") if report.is_file() else ""
