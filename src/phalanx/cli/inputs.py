"""Execution input given on the command line: JSON text, or `@file.json`.

Shared by `phalanx run` and `phalanx execute`, so both read the same way and
refuse the same things StartExecution refuses (text that is not UTF-8, NaN,
Infinity, numbers out of range).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

TOO_DEEP = "not JSON that can be read: arrays and objects are nested too deeply"


def read_json_option(value: str, option: str = "--input") -> tuple[Any, str]:
    """The JSON value of an option and its text as given; a usage error if unusable."""
    text = value
    if value.startswith("@"):
        path = value[1:]
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise click.BadParameter(f"cannot read {path}: {error}", param_hint=option) from None
        except UnicodeDecodeError as error:
            # JSON text is UTF-8 (RFC 8259), as StartExecution's input is.
            message = f"cannot read {path}: not UTF-8 text (byte {error.start}: {error.reason})"
            raise click.BadParameter(message, param_hint=option) from None
    # The engine's strict reading, imported here so `--help` does not load the engine.
    from phalanx.engine.history import from_text

    try:
        parsed = from_text(text)
    except ValueError as error:
        raise click.BadParameter(f"not JSON: {error}", param_hint=option) from None
    except RecursionError:
        raise click.BadParameter(TOO_DEEP, param_hint=option) from None
    return parsed, text
