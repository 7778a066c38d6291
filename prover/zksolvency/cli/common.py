"""What every command shares: one-line errors and the exit-status convention.

Exit status: 0 success, 1 a negative answer (invalid proof, insolvent account),
2 malformed input or a failed tool. Errors go to stderr as one line that names
the bad file or field; nothing is written when a command fails.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import NoReturn, ParamSpec, TypeVar

import click

from zksolvency.errors import ZkSolvencyError

EXIT_OK = 0
EXIT_NEGATIVE = 1
EXIT_BAD_INPUT = 2

P = ParamSpec("P")
T = TypeVar("T")


#: ``--format`` of the commands that read an accounts file (``fmt``: auto, jsonl or csv).
accounts_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "jsonl", "csv"]),
    default="auto",
    show_default=True,
    help="Accounts file format; auto goes by the extension.",
)


def fail(message: str, status: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print ``error: message`` on stderr and exit with ``status``."""
    click.echo(f"error: {message}", err=True)
    sys.exit(status)


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def handle_errors(func: Callable[P, T]) -> Callable[P, T]:
    """Turn the package's exceptions into a one-line error and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return func(*args, **kwargs)
        except ZkSolvencyError as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))

    return wrapper
