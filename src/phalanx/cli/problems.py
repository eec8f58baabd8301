"""How every command reports a problem and exits.

Exit status, the same for every command:

    0  ok
    1  the machine or the run failed (invalid machine, failed execution, AWS refused)
    2  unusable input or usage (missing FILE, a file that cannot be read, a bad option)

Problems in a user's file print as `path:line:col: message` on stderr.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import IO, Any

import click

from phalanx.errors import LoadError

EXIT_OK, EXIT_FAIL, EXIT_UNUSABLE = 0, 1, 2


class UnusableInput(click.ClickException):
    """A file that cannot be used at all: printed as it is (`path:line:col: ...`), exit 2."""

    exit_code = EXIT_UNUSABLE

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.format_message(), err=True)


@contextlib.contextmanager
def unusable_input() -> Iterator[None]:
    """Turn a `LoadError` into `UnusableInput`."""
    try:
        yield
    except LoadError as error:
        raise UnusableInput(str(error)) from None
