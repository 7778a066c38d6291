"""The Solidity sources: fixed files in ``verifier-contracts/src`` and templates rendered from keys.

``verifier-contracts/`` sits at the repository root, beside ``prover/`` (found
relative to this file, as ``zksolvency.toolchain`` finds ``toolchain/``).
Templates use ``{{NAME}}`` placeholders; rendering fails when a placeholder has
no value or a value has no placeholder, so a template and its renderer cannot
drift apart silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from zksolvency import __version__
from zksolvency.chain.errors import ChainError

#: ``<repo>/verifier-contracts``.
CONTRACTS_DIR = Path(__file__).resolve().parents[3] / "verifier-contracts"
TEMPLATES_DIR = CONTRACTS_DIR / "templates"
SOURCES_DIR = CONTRACTS_DIR / "src"

#: Who renders: written into every generated header.
GENERATOR = "zksolvency"
GENERATOR_VERSION = __version__

_PLACEHOLDER = re.compile(r"\{\{([A-Z0-9_]+)\}\}")


def render_template(name: str, values: Mapping[str, str | int]) -> str:
    """``templates/NAME`` with every ``{{KEY}}`` replaced by ``values[KEY]`` (exactly those keys)."""
    path = TEMPLATES_DIR / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ChainError(f"{path}: cannot read the template ({exc.strerror})") from None
    wanted = set(_PLACEHOLDER.findall(text))
    all_values = {"GENERATOR": GENERATOR, "GENERATOR_VERSION": GENERATOR_VERSION, **values}
    missing = sorted(wanted - set(all_values))
    unused = sorted(set(values) - wanted)
    if missing or unused:
        raise ChainError(
            f"{path}: placeholders without a value {missing}, values without a placeholder {unused}"
        )
    return _PLACEHOLDER.sub(lambda m: str(all_values[m.group(1)]), text)


def static_sources(names: Sequence[str] | None = None) -> dict[str, str]:
    """``{file name: text}`` of the fixed contracts ``names`` (a family's sources), or of all of them."""
    if not SOURCES_DIR.is_dir():
        raise ChainError(f"{SOURCES_DIR}: the Solidity sources folder is missing")
    paths = sorted(SOURCES_DIR.glob("*.sol")) if names is None else [SOURCES_DIR / n for n in sorted(names)]
    sources = {}
    for path in paths:
        try:
            sources[path.name] = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ChainError(f"{path}: cannot read ({exc.strerror})") from None
    return sources
