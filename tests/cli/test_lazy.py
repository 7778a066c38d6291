"""Commands are imported when they run: the table in ``cli/main.py`` matches the commands, and
``--version`` / ``--help`` import none of the heavy dependencies."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from zksolvency.cli.main import COMMANDS, cli

PROBE = """
import sys
from click.testing import CliRunner
from zksolvency.cli.main import cli
result = CliRunner().invoke(cli, {args!r})
assert result.exit_code == 0, result.output
print(sorted(m for m in ("web3", "eth_account", "py_ecc", "numpy", "scipy", "ray") if m in sys.modules))
"""


def _loaded_after(args: list[str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args)], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_table_entry_is_the_command_it_names(name: str) -> None:
    command = COMMANDS[name].load()
    assert command.name == name
    assert command.get_short_help_str(200) == COMMANDS[name].help


def test_every_command_is_listed_and_reachable() -> None:
    ctx = click.Context(cli)
    assert cli.list_commands(ctx) == list(COMMANDS)
    assert all(cli.get_command(ctx, name) is not None for name in COMMANDS)
    assert cli.get_command(ctx, "no-such-command") is None


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help_import_no_heavy_dependency(args: list[str]) -> None:
    assert _loaded_after(args) == "[]"


def test_a_command_imports_what_it_uses() -> None:
    """The twin: asking the contracts group for its help does load web3 (the probe can see it)."""
    assert "web3" in _loaded_after(["contracts", "--help"])
