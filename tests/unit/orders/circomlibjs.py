"""Running the pinned circomlibjs (``toolchain/node_modules``) from tests: the independent side.

One node process answers a whole list of requests (building circomlibjs's tables takes
about a second); see ``circomlibjs_eddsa.cjs`` for the requests it understands.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from zksolvency import toolchain
from zksolvency.orders.eddsa import Signature

SCRIPT = Path(__file__).resolve().parent / "circomlibjs_eddsa.cjs"


def _node_and_modules() -> tuple[Path, Path]:
    node = toolchain.node_path()
    modules = toolchain.node_modules_dir()
    missing = [] if node else ["node is not on PATH"]
    if not (modules / "circomlibjs" / "package.json").is_file():
        missing.append(f"circomlibjs is not installed in {modules} (make toolchain)")
    if missing:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("; ".join(missing))
        pytest.skip("; ".join(missing))
    assert node is not None
    return node, modules


def run_ops(ops: list[dict[str, Any]]) -> list[Any]:
    """circomlibjs's answers to ``ops``, in order."""
    node, modules = _node_and_modules()
    done = subprocess.run(
        [str(node), str(SCRIPT)],
        input=json.dumps({"ops": ops}),
        capture_output=True,
        text=True,
        env={**os.environ, "NODE_PATH": str(modules)},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answers: list[Any] = json.loads(done.stdout)
    return answers


def sign_op(secret: bytes, message: int) -> dict[str, Any]:
    return {"op": "sign", "secret": secret.hex(), "msg": str(message)}


def verify_op(public: tuple[int, int], message: int, sig: Signature) -> dict[str, Any]:
    return {
        "op": "verify",
        "msg": str(message),
        "r8x": str(sig.r8x),
        "r8y": str(sig.r8y),
        "s": str(sig.s),
        "ax": str(public[0]),
        "ay": str(public[1]),
    }


def signature_of(answer: dict[str, str]) -> Signature:
    return Signature(int(answer["r8x"]), int(answer["r8y"]), int(answer["s"]))
