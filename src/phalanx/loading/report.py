"""Validation results written against the files they came from.

Text reads like a compiler's, one line per diagnostic, errors first::

    flow.asl.json:12:7: error MISSING_TRANSITION_TARGET /States/checkRoll/Default: ...

Renderers return text or data; the command prints it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from phalanx.loading.locations import display_path
from phalanx.loading.sources import Source

if TYPE_CHECKING:  # a deployed zip holds `loading` (for `project`) but not the validator
    from phalanx.validation import Diagnostic, ValidationResult


def render_text(source: Source, diagnostics: Iterable[Diagnostic]) -> list[str]:
    """One compiler-style line per diagnostic, in source order (errors before warnings)."""
    placed = [(source.where(d.location), d) for d in diagnostics]
    placed.sort(
        key=lambda item: (
            item[1].severity != "ERROR",
            display_path(item[0].file),
            item[0].line or 0,
            item[0].column or 0,
        )
    )
    label = f" [{source.name}]" if source.name else ""
    return [
        f"{where}: {d.severity.lower()} {d.code} {d.location or '/'}{label}: {d.message}"
        for where, d in placed
    ]


def record(source: Source, result: ValidationResult) -> dict[str, Any]:
    """The AWS-shaped result with the file, the machine and each diagnostic's line and column."""
    data: dict[str, Any] = {"file": display_path(source.file)}
    if source.name:
        data["machine"] = source.name
    data.update(result.to_dict())
    for item, d in zip(data["diagnostics"], result.diagnostics, strict=True):
        where = source.where(d.location)
        item["line"], item["column"] = where.line, where.column
    return data


def render_records(records: Sequence[dict[str, Any]], output: str) -> str:
    """`json`: AWS's response for one machine, a list for several; `jsonl`: one per line."""
    if output == "jsonl":
        return "\n".join(json.dumps(item) for item in records)
    payload: object = list(records)
    if len(records) == 1:
        single = {k: records[0][k] for k in ("result", "diagnostics", "truncated")}
        single["diagnostics"] = [
            {k: v for k, v in item.items() if k not in ("line", "column")}
            for item in single["diagnostics"]
        ]
        payload = single
    return json.dumps(payload, indent=2)


def summary(results: Iterable[ValidationResult]) -> str:
    """`2 error(s), 1 warning(s)` over every machine checked."""
    errors = warnings = 0
    for result in results:
        errors += len(result.errors)
        warnings += len(result.warnings)
    return f"{errors} error(s), {warnings} warning(s)"
