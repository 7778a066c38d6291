"""Commands imported when they run, not when the program starts.

Importing every command module made every ``zksolvency`` call pay for web3, eth_account,
py_ecc, numpy and scipy (about 1.5 to 4 s before anything happened, even for
``--version``). A :class:`LazyGroup` knows its subcommands by name, import path and
one-line help, lists them from that table (so ``--help`` imports nothing), and imports
a command's module only when that command is run (or asked for its own ``--help``).
``tests/cli/test_lazy.py`` checks that each table entry names a real command whose own
short help is the one in the table.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import click


@dataclass(frozen=True)
class LazyCommand:
    """Where a command lives (``module:attribute``) and its one-line help for listings."""

    path: str
    help: str

    def load(self) -> click.Command:
        module_name, attribute = self.path.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.path} is not a click command")
        return command


class LazyGroup(click.Group):
    """A click group whose subcommands are :class:`LazyCommand` entries, in the given order."""

    def __init__(self, *args: object, lazy: dict[str, LazyCommand] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy: dict[str, LazyCommand] = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*self.lazy, *(name for name in super().list_commands(ctx) if name not in self.lazy)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            return self.lazy[cmd_name].load()
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, entry.help) for name, entry in self.lazy.items()]
        for name in super().list_commands(ctx):
            if name not in self.lazy:
                command = super().get_command(ctx, name)
                if command is not None and not command.hidden:
                    rows.append((name, command.get_short_help_str(formatter.width)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)
