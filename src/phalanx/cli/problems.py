"""How every command reports a problem and exits.

Exit status, the same for every command:

    0  ok
    1  the machine or the run failed (invalid machine, failed execution, AWS refused)
    2  unusable input or usage (missing FILE, a file that cannot be read or is
       not JSON, a bad option)

Problems in a user's file print as `path:line:col: message` on stderr.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
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


def failure_status(diagnostics: Iterable[Any]) -> int:
    """The exit status of a machine the validator refused.

    Text that is not JSON is a file that cannot be used (2), although the
    validator reports it as AWS does, as a FAIL with INVALID_JSON_DESCRIPTION;
    any other refusal is a failed machine (1).
    """
    codes = {getattr(diagnostic, "code", None) for diagnostic in diagnostics}
    return EXIT_UNUSABLE if "INVALID_JSON_DESCRIPTION" in codes else EXIT_FAIL
