"""``zksolvency doctor`` and the toolchain module it reports on.

Each success test has a failure twin right below it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from zksolvency import toolchain
from zksolvency.cli.doctor_cmd import doctor
from zksolvency.errors import ToolchainError

TOOLS = ("circom2", "snarkjs", "circomlib", "circomlibjs", "solc", "anvil")
REPO = Path(__file__).resolve().parents[2]


def _pins() -> dict[str, str]:
    deps = json.loads((REPO / "toolchain" / "package.json").read_text())["dependencies"]
    assert isinstance(deps, dict)
    return {str(k): str(v) for k, v in deps.items()}


@pytest.fixture
def empty_toolchain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(toolchain.TOOLCHAIN_ENV, str(tmp_path))
    return tmp_path


# --- the toolchain module -----------------------------------------------------------------


@pytest.mark.snarkjs
def test_every_tool_is_found_at_its_pinned_version() -> None:
    pins = _pins()
    for status in toolchain.all_tool_status():
        assert status.ok, status.problem()
        assert status.installed == status.pinned == pins[status.package]
        assert status.path is not None and status.path.exists()
    assert toolchain.anvil_path().name == "anvil"
    assert toolchain.circomlib_dir().name == "circomlib"
    assert toolchain.circom2_command()[1].endswith("circom2/cli.js")


def test_missing_tools_raise_with_the_install_command(empty_toolchain: Path) -> None:
    for status in toolchain.all_tool_status():
        assert status.status == "missing" and status.path is None and not status.ok
    # Pins still come from the repository's toolchain/package.json.
    assert toolchain.tool_status("circom2").pinned == _pins()["circom2"]
    with pytest.raises(ToolchainError, match=r"^circom2 is not installed; run `make toolchain`$"):
        toolchain.circom2_command()
    with pytest.raises(ToolchainError, match="anvil is not installed"):
        toolchain.anvil_path()
    with pytest.raises(ToolchainError, match="circomlib is not installed"):
        toolchain.circomlib_dir()


def test_wrong_version_is_reported(empty_toolchain: Path) -> None:
    (empty_toolchain / "package.json").write_text(json.dumps({"dependencies": {"circom2": "0.2.23"}}))
    pkg = empty_toolchain / "node_modules" / "circom2"
    pkg.mkdir(parents=True)
    (pkg / "package.json").write_text(json.dumps({"version": "0.2.22", "bin": {"circom2": "cli.js"}}))
    (pkg / "cli.js").write_text("")
    status = toolchain.tool_status("circom2")
    assert (status.status, status.installed, status.pinned) == ("wrong version", "0.2.22", "0.2.23")
    with pytest.raises(ToolchainError, match=r"circom2 0\.2\.22 is installed but 0\.2\.23 is pinned"):
        toolchain.circom2_command()


def test_run_tool_returns_output() -> None:
    proc = toolchain.run_tool([sys.executable, "-c", "print('\\x1b[32mfine\\x1b[0m')"])
    assert proc.stdout.strip() == "fine"  # colour codes stripped


def test_run_tool_failure_carries_the_tools_stderr() -> None:
    with pytest.raises(ToolchainError, match=r"failed \(exit 3\): boom"):
        toolchain.run_tool([sys.executable, "-c", "import sys; sys.stderr.write('boom'); sys.exit(3)"])
    with pytest.raises(ToolchainError, match="cannot start"):
        toolchain.run_tool(["/nonexistent/tool"])
    with pytest.raises(ToolchainError, match="did not finish within"):
        toolchain.run_tool([sys.executable, "-c", "import time; time.sleep(5)"], timeout=0.2)


# --- the command --------------------------------------------------------------------------


@pytest.mark.snarkjs
def test_doctor_text() -> None:
    result = CliRunner().invoke(doctor, [])
    assert result.exit_code == 0, result.output
    pins = _pins()
    for name in TOOLS:
        line = next(ln for ln in result.output.splitlines() if f" {name} " in ln)
        assert line.lstrip().startswith("ok")
    assert pins["circom2"] in result.output and pins["@foundry-rs/anvil-linux-amd64"] in result.output
    for name in ("node", "python", "wasmtime", "py_ecc", "gmpy2"):
        assert f" {name} " in result.output
    assert "everything is installed." in result.output


def test_doctor_text_names_what_is_missing(empty_toolchain: Path) -> None:
    result = CliRunner().invoke(doctor, [])
    assert result.exit_code == 2
    for name in TOOLS:
        assert f"problem: {name} is not installed; run `make toolchain`" in result.output
    assert "to fix circom2, snarkjs, circomlib, circomlibjs, solc, anvil: make toolchain" in result.output


@pytest.mark.snarkjs
def test_doctor_json() -> None:
    result = CliRunner().invoke(doctor, ["--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    for name in (*TOOLS, "node", "python", "wasmtime"):
        entry = report[name]
        assert entry["ok"] is True and entry["version"] and Path(entry["path"]).exists()
    assert report["circom2"]["version"] == _pins()["circom2"]


def test_doctor_json_missing(empty_toolchain: Path) -> None:
    result = CliRunner().invoke(doctor, ["--json"])
    assert result.exit_code == 2
    report = json.loads(result.output)
    for name in TOOLS:
        assert report[name]["ok"] is False
        assert report[name]["path"] is None and report[name]["version"] is None
        assert report[name]["fix"] == "make toolchain"
    assert report["wasmtime"]["ok"] is True
