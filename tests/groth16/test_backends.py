"""The backend seam: each python/native pair is chosen in ``groth16.backends`` and never imports its twin."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from zksolvency.groth16.backends import get_backend
from zksolvency.groth16.kernels import native_available

PACKAGE = Path(__file__).resolve().parents[2] / "prover" / "zksolvency"
PAIRS = (
    ("python_setup", "native_setup"),
    ("python_verify", "native_verify"),
    ("python_ptau_dev", "native_ptau_dev"),
)


def imports_of(source: str, module: str) -> set[str]:
    """The ``zksolvency`` modules ``source`` imports anywhere (``from a import b``: ``a`` and ``a.b``)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return {name for name in out if name.startswith("zksolvency") and name != module}


def module_graph() -> dict[str, set[str]]:
    """``zksolvency`` module -> the modules of the package it imports."""
    paths = {
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__"): p
        for p in PACKAGE.rglob("*.py")
    }
    return {name: imports_of(path.read_text(), name) & set(paths) for name, path in paths.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (as a path that returns to its start), or ``None``."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_python_native_pair_imports_its_twin() -> None:
    graph = module_graph()
    for python, native in PAIRS:
        a, b = f"zksolvency.groth16.{python}", f"zksolvency.groth16.{native}"
        assert b not in graph[a] and a not in graph[b], (python, native)


def test_the_groth16_package_has_no_import_cycle() -> None:
    graph = module_graph()
    groth16 = {k: {v for v in vs if v.startswith("zksolvency.groth16")} for k, vs in graph.items()}
    assert find_cycle({k: v for k, v in groth16.items() if k.startswith("zksolvency.groth16")}) is None


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The twin of the test above: the check would see a cycle if there were one."""
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert imports_of("def f():\n    from zksolvency.groth16 import native_setup\n", "x") == {
        "zksolvency.groth16",
        "zksolvency.groth16.native_setup",
    }


def test_only_the_backends_module_imports_the_native_stages() -> None:
    graph = module_graph()
    natives = {f"zksolvency.groth16.{native}" for _, native in PAIRS}
    importers = {name for name, imported in graph.items() if imported & natives}
    assert importers == {"zksolvency.groth16.backends"}


def test_backends_by_name_and_by_kernels() -> None:
    python = get_backend("python")
    assert python.name == python.kernels.name == python.sections.name == "python"
    assert get_backend(python.kernels).name == "python" and get_backend(python) is python
    if native_available():
        assert get_backend().name == get_backend("native").name == "native"
    with pytest.raises(ValueError, match="unknown kernel backend 'gpu'"):
        get_backend("gpu")
