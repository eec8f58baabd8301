"""The `--db` option and the opening of the store shared by the view commands.

`phalanx executions` and `phalanx history` read the file `phalanx serve`
writes, beside a running server or after it stopped; a missing file, a file
from a newer Phalanx or an unknown ARN is one line on stderr and exit 2.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import click

from phalanx.api.views import open_database
from phalanx.cli.problems import UnusableInput
from phalanx.errors import PhalanxError
from phalanx.store import DEFAULT_PATH, Database

F = TypeVar("F", bound=Callable[..., object])


def db_option(command: F) -> F:
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=DEFAULT_PATH,
        show_default=True,
        help="SQLite database file written by phalanx serve.",
    )(command)


def format_option(help: str) -> Callable[[F], F]:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=help,
    )


@contextlib.contextmanager
def reading(db_path: Path) -> Iterator[Database]:
    """The database, opened for reading and closed after; any Phalanx error becomes exit 2."""
    try:
        with open_database(db_path) as db:
            yield db
    except PhalanxError as error:
        raise UnusableInput(str(error)) from None
