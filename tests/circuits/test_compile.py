"""circom2 behind our staging: circuits as people write them compile unchanged.

Each success test has a failure twin right below it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from zksolvency import toolchain
from zksolvency.circuit.compile import (
    CompiledCircuit,
    compile_circuit,
    default_out_dir,
    find_includes,
    resolve_includes,
)
from zksolvency.cli.circuit_cmd import circuit, read_r1cs_counts
from zksolvency.errors import CompileError, ToolchainError

REPO = Path(__file__).resolve().parents[2]
CIRCOMLIB_TESTS = REPO / "toolchain" / "node_modules" / "circomlib" / "test" / "circuits"

SQUARE_LIB = """pragma circom 2.1.6;
template Square() {
    signal input in;
    signal output out;
    out <== in * in;
}
"""


def _main_using(include: str, extra: str = "") -> str:
    return f"""pragma circom 2.1.6;
include "{include}";
{extra}
template Main() {{
    signal input x;
    signal output y;
    component s = Square();
    s.in <== x;
    y <== s.out;
}}
component main = Main();
"""


def _count_circom_runs(monkeypatch: pytest.MonkeyPatch, cache: Path) -> list[list[str]]:
    """Count circom runs, with a cache of the test's own (entries are location-independent)."""
    monkeypatch.setenv("ZKSOLVENCY_CACHE", str(cache))
    calls: list[list[str]] = []
    real = toolchain.run_tool

    def counting(cmd: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append([str(c) for c in cmd])
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(toolchain, "run_tool", counting)
    return calls


# --- include parsing (no toolchain needed) ------------------------------------------------


def test_find_includes_ignores_comments() -> None:
    text = (
        '// include "commented.circom";\n'
        '/* include "block.circom";\n include "still-comment.circom"; */\n'
        'include "real.circom"; include "b//c.circom";\n'
    )
    assert [(lit, line) for lit, _, line in find_includes(text)] == [("real.circom", 4), ("b//c.circom", 4)]


def test_missing_include_names_file_line_and_literal(tmp_path: Path) -> None:
    main = tmp_path / "main.circom"
    main.write_text(_main_using("nowhere/square.circom"))
    with pytest.raises(CompileError) as err:
        resolve_includes(main)
    message = str(err.value)
    assert f"{main}:2:" in message and '"nowhere/square.circom" not found' in message


def test_missing_circuit_file(tmp_path: Path) -> None:
    with pytest.raises(CompileError, match="no such circuit file"):
        compile_circuit(tmp_path / "absent.circom")


def test_bad_optimize_level(tmp_path: Path) -> None:
    (tmp_path / "lib.circom").write_text(SQUARE_LIB)
    main = tmp_path / "main.circom"
    main.write_text(_main_using("lib.circom"))
    with pytest.raises(CompileError, match="optimize must be one of O0, O1, O2"):
        compile_circuit(main, optimize="O3")


# --- the examples -------------------------------------------------------------------------


def _assert_outputs(compiled: CompiledCircuit, name: str) -> None:
    assert compiled.name == name
    assert compiled.r1cs == compiled.out_dir / f"{name}.r1cs" and compiled.r1cs.stat().st_size > 0
    assert compiled.sym == compiled.out_dir / f"{name}.sym" and compiled.sym.stat().st_size > 0
    assert (
        compiled.wasm == compiled.out_dir / f"{name}_js" / f"{name}.wasm" and compiled.wasm.stat().st_size > 0
    )
    assert (compiled.js_dir / "witness_calculator.js").is_file()
    leftovers = [p.name for p in compiled.out_dir.iterdir() if p.name.startswith(".")]
    assert leftovers == [], "temporary folders left behind"


@pytest.mark.snarkjs
def test_compile_multiplier(multiplier: CompiledCircuit) -> None:
    _assert_outputs(multiplier, "multiplier")
    counts = read_r1cs_counts(multiplier.r1cs)
    # c = a*b and three squarings: 4 constraints; wires 1, c, d, a, b, sq[1], sq[2].
    assert (counts.n_constraints, counts.n_wires, counts.n_outputs, counts.n_prv_inputs) == (4, 7, 2, 2)
    assert "non-linear constraints: 4" in multiplier.report


@pytest.mark.snarkjs
def test_compile_poseidon_range_finds_circomlib_by_default(poseidon_range: CompiledCircuit) -> None:
    _assert_outputs(poseidon_range, "poseidon_range")
    counts = read_r1cs_counts(poseidon_range.r1cs)
    assert (counts.n_outputs, counts.n_pub_inputs, counts.n_prv_inputs) == (1, 1, 2)
    assert counts.n_constraints == 432
    assert any(p.name == "poseidon_constants.circom" for p in poseidon_range.sources)


@pytest.mark.snarkjs
def test_circomlib_include_not_found_without_the_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(toolchain.TOOLCHAIN_ENV, str(tmp_path / "no-toolchain"))
    source = REPO / "circuits" / "examples" / "poseidon_range" / "poseidon_range.circom"
    with pytest.raises(CompileError) as err:
        resolve_includes(source)
    assert '"circomlib/circuits/poseidon.circom" not found' in str(err.value)
    assert "make toolchain" in str(err.value)


# --- circuits as people write them --------------------------------------------------------


@pytest.mark.snarkjs
def test_circomlib_test_circuit_compiles_in_place(tmp_path: Path) -> None:
    # poseidon3_test.circom says `include "../../circuits/poseidon.circom";`, which circom2's
    # sandbox cannot follow when run on the file where it lies.
    source = CIRCOMLIB_TESTS / "poseidon3_test.circom"
    assert '"../../circuits/poseidon.circom"' in source.read_text()
    compiled = compile_circuit(source, out_dir=tmp_path / "out")
    _assert_outputs(compiled, "poseidon3_test")
    assert read_r1cs_counts(compiled.r1cs).n_constraints == 240


@pytest.mark.snarkjs
def test_circomlib_test_circuit_copied_elsewhere_fails(tmp_path: Path) -> None:
    copy = tmp_path / "poseidon3_test.circom"
    copy.write_text((CIRCOMLIB_TESTS / "poseidon3_test.circom").read_text())
    with pytest.raises(CompileError, match=r'poseidon3_test\.circom:3: included file "\.\./\.\./circuits'):
        compile_circuit(copy, out_dir=tmp_path / "out")


@pytest.mark.snarkjs
def test_absolute_include(tmp_path: Path) -> None:
    lib = tmp_path / "lib" / "square.circom"
    lib.parent.mkdir()
    lib.write_text(SQUARE_LIB)
    main = tmp_path / "app" / "main.circom"
    main.parent.mkdir()
    main.write_text(_main_using(str(lib)))
    compiled = compile_circuit(main, out_dir=tmp_path / "out")
    _assert_outputs(compiled, "main")
    assert read_r1cs_counts(compiled.r1cs).n_constraints == 1


def test_absolute_include_to_missing_file(tmp_path: Path) -> None:
    main = tmp_path / "main.circom"
    main.write_text(_main_using(str(tmp_path / "missing.circom")))
    with pytest.raises(CompileError, match=f'{main}:2: included file .*missing.circom" not found'):
        compile_circuit(main, out_dir=tmp_path / "out")


@pytest.mark.snarkjs
def test_library_dir_option(tmp_path: Path) -> None:
    (tmp_path / "libs").mkdir()
    (tmp_path / "libs" / "square.circom").write_text(SQUARE_LIB)
    main = tmp_path / "app" / "main.circom"
    main.parent.mkdir()
    main.write_text(_main_using("square.circom"))
    compiled = compile_circuit(main, out_dir=tmp_path / "out", include_dirs=[tmp_path / "libs"])
    _assert_outputs(compiled, "main")


def test_library_dir_option_missing(tmp_path: Path) -> None:
    main = tmp_path / "app" / "main.circom"
    main.parent.mkdir()
    main.write_text(_main_using("square.circom"))
    with pytest.raises(CompileError, match=r"main\.circom:2: included file \"square\.circom\" not found"):
        compile_circuit(main, out_dir=tmp_path / "out")
    with pytest.raises(CompileError, match=r"include folder .* does not exist"):
        compile_circuit(main, out_dir=tmp_path / "out", include_dirs=[tmp_path / "nope"])


@pytest.mark.snarkjs
def test_default_out_dir_is_build_beside_the_circuit(tmp_path: Path) -> None:
    (tmp_path / "lib.circom").write_text(SQUARE_LIB)
    main = tmp_path / "main.circom"
    main.write_text(_main_using("lib.circom"))
    compiled = compile_circuit(main)
    assert compiled.out_dir == default_out_dir(main) == tmp_path / "build"
    _assert_outputs(compiled, "main")


# --- compiler errors ----------------------------------------------------------------------


@pytest.mark.snarkjs
def test_syntax_error_carries_circoms_message_and_real_path(tmp_path: Path) -> None:
    bad = tmp_path / "bad.circom"
    bad.write_text(
        "pragma circom 2.1.6;\ntemplate T() {\n    signal input a;\n    signal output b\n    b <== a;\n}\n"
    )
    with pytest.raises(CompileError) as err:
        compile_circuit(bad, out_dir=tmp_path / "out")
    message = str(err.value)
    assert "Missing semicolon" in message  # circom's own words
    assert f'"{bad}":4:' in message  # the real file, not the staged copy
    assert "src/" not in message
    assert not (tmp_path / "out" / "bad.r1cs").exists()


@pytest.mark.snarkjs
def test_error_in_included_file_names_that_file(tmp_path: Path) -> None:
    lib = tmp_path / "lib" / "square.circom"
    lib.parent.mkdir()
    lib.write_text(SQUARE_LIB.replace("out <== in * in;", "out <== in * undeclared;"))
    main = tmp_path / "main.circom"
    main.write_text(_main_using("lib/square.circom"))
    with pytest.raises(CompileError) as err:
        compile_circuit(main, out_dir=tmp_path / "out")
    assert f'"{lib}":5:' in str(err.value)


# --- the cache ----------------------------------------------------------------------------


@pytest.mark.snarkjs
def test_cache_hit_does_not_run_circom(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lib.circom").write_text(SQUARE_LIB)
    main = tmp_path / "main.circom"
    main.write_text(_main_using("lib.circom"))
    calls = _count_circom_runs(monkeypatch, tmp_path / "cache")
    first = compile_circuit(main, out_dir=tmp_path / "a")
    second = compile_circuit(main, out_dir=tmp_path / "b")
    assert (first.cached, second.cached, len(calls)) == (False, True, 1)
    assert second.r1cs.read_bytes() == first.r1cs.read_bytes()
    assert second.wasm.read_bytes() == first.wasm.read_bytes()
    assert second.report == first.report


@pytest.mark.snarkjs
def test_cache_miss_when_an_included_source_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lib = tmp_path / "lib.circom"
    lib.write_text(SQUARE_LIB)
    main = tmp_path / "main.circom"
    main.write_text(_main_using("lib.circom"))
    calls = _count_circom_runs(monkeypatch, tmp_path / "cache")
    compile_circuit(main, out_dir=tmp_path / "out")
    lib.write_text(SQUARE_LIB.replace("out <== in * in;", "signal t <== in * in;\n    out <== t * in;"))
    changed = compile_circuit(main, out_dir=tmp_path / "out")
    assert not changed.cached and len(calls) == 2
    assert read_r1cs_counts(changed.r1cs).n_constraints == 2
    optimized_differently = compile_circuit(main, out_dir=tmp_path / "out", optimize="O1")
    assert not optimized_differently.cached and len(calls) == 3


@pytest.mark.snarkjs
def test_recompile_replaces_outputs(tmp_path: Path) -> None:
    (tmp_path / "lib.circom").write_text(SQUARE_LIB)
    main = tmp_path / "main.circom"
    main.write_text(_main_using("lib.circom"))
    out = tmp_path / "out"
    compile_circuit(main, out_dir=out)
    (out / "main_js" / "stale.txt").write_text("from an older build")
    compiled = compile_circuit(main, out_dir=out)
    assert not (out / "main_js" / "stale.txt").exists()
    _assert_outputs(compiled, "main")


# --- the command --------------------------------------------------------------------------


@pytest.mark.snarkjs
def test_cli_compile(tmp_path: Path) -> None:
    source = REPO / "circuits" / "examples" / "multiplier" / "multiplier.circom"
    result = CliRunner().invoke(circuit, ["compile", str(source), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "constraints: 4" in result.output
    assert f"wrote {tmp_path / 'multiplier_js' / 'multiplier.wasm'}" in result.output


@pytest.mark.snarkjs
def test_cli_compile_error_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.circom"
    bad.write_text("pragma circom 2.1.6;\ntemplate T() { signal input a signal output b; }\n")
    result = CliRunner().invoke(circuit, ["compile", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.startswith("error: circom rejected") and str(bad) in result.output


@pytest.mark.snarkjs
def test_outputs_are_what_circom_writes(tmp_path: Path, multiplier: CompiledCircuit) -> None:
    # The staged build gives the same bytes as running circom2 by hand where the sandbox allows it.
    src = tmp_path / "multiplier.circom"
    src.write_text(
        (REPO / "circuits" / "examples" / "multiplier" / "multiplier.circom").read_text(), encoding="utf-8"
    )
    (tmp_path / "out").mkdir()
    subprocess.run(
        [*toolchain.circom2_command(), "multiplier.circom", "--r1cs", "--wasm", "--sym", "--O2", "-o", "out"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    assert (tmp_path / "out" / "multiplier.r1cs").read_bytes() == multiplier.r1cs.read_bytes()
    assert (
        tmp_path / "out" / "multiplier_js" / "multiplier.wasm"
    ).read_bytes() == multiplier.wasm.read_bytes()


SQUARE = """pragma circom 2.1.6;
template M() {
    signal input x;
    signal output y;
    y <== x * x;
}
component main = M();
"""


def _flaky_run_tool(monkeypatch: pytest.MonkeyPatch, message: str) -> list[list[str]]:
    """Make the first circom2 run fail with ``message``; later runs are real. Returns the calls."""
    real = toolchain.run_tool
    calls: list[list[str]] = []

    def fake(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        if "-o" in cmd:  # a compile (not a version query)
            calls.append(cmd)
            if len(calls) == 1:
                return subprocess.CompletedProcess(cmd, 1, "", message)
        result: subprocess.CompletedProcess[str] = real(cmd, **kwargs)
        return result

    monkeypatch.setattr(toolchain, "run_tool", fake)
    return calls


@pytest.mark.snarkjs
def test_circom2_buffer_flake_is_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZKSOLVENCY_CACHE", str(tmp_path / "cache"))
    flake = "RangeError: Start offset -1961535120 is outside the bounds of the buffer"
    calls = _flaky_run_tool(monkeypatch, flake)
    source = tmp_path / "m.circom"
    source.write_text(SQUARE)
    compiled = compile_circuit(source, out_dir=tmp_path / "out")
    assert compiled.r1cs.is_file()
    assert len(calls) == 2


@pytest.mark.snarkjs
def test_other_circom_errors_are_not_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZKSOLVENCY_CACHE", str(tmp_path / "cache"))
    calls = _flaky_run_tool(monkeypatch, "error[T3001]: Non quadratic constraints are not allowed!")
    source = tmp_path / "m.circom"
    source.write_text(SQUARE)
    with pytest.raises(CompileError, match="Non quadratic"):
        compile_circuit(source, out_dir=tmp_path / "out")
    assert len(calls) == 1


# --- a native circom named by $ZKSOLVENCY_CIRCOM -----------------------------------------------


def _fake_native_circom(folder: Path, version: str) -> Path:
    """A stand-in for a native circom binary: reports ``version`` and forwards to circom2, logging runs."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "circom"
    node, cli = toolchain.circom2_command()
    script.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "--version" ]; then echo "circom compiler {version}"; exit 0; fi\n'
        f'echo run >> "{folder / "runs"}"\n'
        f'exec "{node}" "{cli}" "$@"\n'
    )
    script.chmod(0o755)
    return script


def test_circom2_runs_the_pinned_circom_release() -> None:
    proc = toolchain.run_tool([*toolchain.circom2_command(), "--version"])
    assert f"circom compiler {toolchain.CIRCOM_RELEASE}" in proc.stdout


def test_native_circom_from_the_environment_compiles_the_same_r1cs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZKSOLVENCY_CACHE", str(tmp_path / "cache"))
    (tmp_path / "lib.circom").write_text(SQUARE_LIB)
    main = tmp_path / "main.circom"
    main.write_text(_main_using("lib.circom"))
    wasm_built = compile_circuit(main, out_dir=tmp_path / "wasm")
    fake = _fake_native_circom(tmp_path / "native", toolchain.CIRCOM_RELEASE)
    monkeypatch.setenv(toolchain.NATIVE_CIRCOM_ENV, str(fake))
    assert toolchain.circom_compiler().label == f"circom {toolchain.CIRCOM_RELEASE} native"
    native_built = compile_circuit(main, out_dir=tmp_path / "native_out")
    assert not native_built.cached, "a native compile must not reuse circom2's cache entry"
    assert (tmp_path / "native" / "runs").read_text() == "run\n"
    assert native_built.r1cs.read_bytes() == wasm_built.r1cs.read_bytes()


def test_native_circom_of_another_release_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZKSOLVENCY_CACHE", str(tmp_path / "cache"))
    (tmp_path / "lib.circom").write_text(SQUARE_LIB)
    main = tmp_path / "main.circom"
    main.write_text(_main_using("lib.circom"))
    fake = _fake_native_circom(tmp_path / "native", "2.1.9")
    monkeypatch.setenv(toolchain.NATIVE_CIRCOM_ENV, str(fake))
    with pytest.raises(ToolchainError, match=r"ZKSOLVENCY_CIRCOM=.*2\.1\.9.*circom compiler 2\.2\.3"):
        compile_circuit(main, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "native" / "runs").exists()
