"""`validate()`: read the input, run every rule once, shape the answer like AWS.

The rules work on the JSON document, not on the model, so a definition the
model cannot load still gets every problem reported with an exact pointer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, Literal

from phalanx.validation import (
    advice,
    choice,
    handlers,
    mapstate,
    names,
    paths,
    resources,
    schema,
    transitions,
)
from phalanx.validation.diagnostics import ERROR, Diagnostic, Report, ValidationResult, join
from phalanx.validation.scopes import Machine, Options, walk

# AWS's quota: a definition is at most 1 MiB of JSON text.
MAX_DEFINITION_BYTES = 1_048_576
# AWS returns at most 100 diagnostics per call.
DEFAULT_MAX_RESULTS = 100

RULES: tuple[Callable[[Machine, Report], None], ...] = (
    schema.check,
    handlers.check,
    choice.check,
    mapstate.check,
    names.check,
    transitions.check,
    paths.check,
    resources.check,
    advice.check,
)

MACHINE_TYPES = ("STANDARD", "EXPRESS")


def validate(
    definition: object,
    *,
    machine_type: str | None = None,
    severity: Literal["ERROR", "WARNING"] = "ERROR",
    max_results: int = DEFAULT_MAX_RESULTS,
    ignore: Iterable[str] = (),
    placeholders: bool = False,
) -> ValidationResult:
    """Validate a state machine definition as AWS would, plus Phalanx's own advice.

    `definition` is a model (anything with `.to_asl()`), a dict, or JSON text.
    `machine_type` is `STANDARD` or `EXPRESS` (it changes what AWS allows);
    by default a model's declared `type`, else `STANDARD`.
    `severity` is the least severe diagnostic returned: `"ERROR"` (AWS's
    default) leaves warnings out, `"WARNING"` returns both; `max_results` caps the list
    (`truncated` says so); `ignore` drops warnings by code (errors cannot be
    ignored: they decide the verdict). With `placeholders=True`, deploy-time
    `${...}` tokens (SAM/CloudFormation/Terraform substitutions) count as valid
    wherever a value is substituted.

    Never raises on bad input: problems are diagnostics.

    >>> validate('{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}').result
    'OK'
    """
    if machine_type is None:
        machine_type = _declared_type(definition)
    if machine_type not in MACHINE_TYPES:
        raise ValueError(f"machine_type must be STANDARD or EXPRESS, got {machine_type!r}")
    report = Report()
    document = _read(definition, report)
    if document is not None:
        options = Options(machine_type=machine_type, placeholders=placeholders)
        machine = walk(document, options)
        for rule in RULES:
            rule(machine, report)
    return _result(report.diagnostics, severity, max_results, frozenset(ignore))


def _declared_type(definition: object) -> str:
    """A model's own `type` (`StateMachine.of(..., type="EXPRESS")`), else STANDARD.

    Read by attribute, like `to_asl`, so validating JSON never loads the model.
    """
    if isinstance(definition, str | bytes | dict):
        return "STANDARD"
    declared = getattr(definition, "type", None)
    return declared if isinstance(declared, str) else "STANDARD"


def _read(definition: object, report: Report) -> dict[str, Any] | None:
    """The definition as a fresh JSON document, or None with the reason reported.

    Dicts go through JSON text too: that is how AWS receives them, it measures
    the size AWS limits, turns non-string keys into strings, refuses values
    JSON cannot hold, and leaves the caller's object untouched.
    """
    to_asl = getattr(definition, "to_asl", None)
    if callable(to_asl) and not isinstance(definition, str | bytes | dict):
        try:
            definition = to_asl()
        except Exception as exc:  # a model that cannot be written is a finding, not a crash
            report.schema("", f"The model could not be written as ASL: {type(exc).__name__}: {exc}")
            return None
    if definition is None:
        report.error("MISSING_DESCRIPTION", "", "Received a null or empty definition")
        return None
    if isinstance(definition, bytes):
        try:
            definition = definition.decode("utf-8")
        except UnicodeDecodeError as exc:
            report.error("INVALID_JSON_DESCRIPTION", "", f"Definition is not UTF-8: {exc}")
            return None
    if isinstance(definition, str):
        return _parse(definition, report, duplicates=True)
    try:
        text = json.dumps(definition, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        report.schema("", f"Definition is not a JSON value: {exc}")
        return None
    return _parse(text, report, duplicates=False)  # a dict cannot repeat a key


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")


def _parse(text: str, report: Report, *, duplicates: bool) -> dict[str, Any] | None:
    if not text.strip():
        report.schema("", "Definition must be a valid JSON object")
        return None
    repeated: list[tuple[dict[str, Any], str]] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(items)
        if len(obj) != len(items):
            seen: set[str] = set()
            for key, _ in items:
                if key in seen:
                    repeated.append((obj, key))
                seen.add(key)
        return obj

    try:
        document = json.loads(
            text, object_pairs_hook=pairs if duplicates else None, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        report.error(
            "INVALID_JSON_DESCRIPTION",
            "",
            f"{exc.msg} at [line: {exc.lineno}, column: {exc.colno}]",
        )
        return None
    except (ValueError, RecursionError) as exc:
        report.error("INVALID_JSON_DESCRIPTION", "", f"Definition is not valid JSON: {exc}")
        return None
    if not isinstance(document, dict):
        report.schema("", "Definition must be a valid JSON object")
        return None
    if repeated:
        _report_duplicates(document, repeated, report)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_DEFINITION_BYTES:
        report.schema(
            "", f"Definition is {size} bytes; AWS accepts at most {MAX_DEFINITION_BYTES} bytes"
        )
    return document


def _report_duplicates(
    document: dict[str, Any], duplicates: list[tuple[dict[str, Any], str]], report: Report
) -> None:
    """Name each key written twice in one JSON object (the parser keeps the last)."""
    wanted = {id(obj): [key for o, key in duplicates if o is obj] for obj, _ in duplicates}
    stack: list[tuple[object, str, bool]] = [(document, "", False)]
    while stack:
        value, pointer, is_states = stack.pop()
        if isinstance(value, dict):
            for key in wanted.get(id(value), ()):
                if is_states:
                    report.error(
                        "DUPLICATE_STATE_NAME",
                        join(pointer, key),
                        f'Duplicate State name: "{key}" appears more than once in {pointer}',
                    )
                else:
                    report.schema(
                        join(pointer, key),
                        f"Duplicate field '{key}' in the same object at {pointer or '/'}",
                    )
            scope = "StartAt" in value  # its "States" holds state names
            stack.extend((v, join(pointer, k), scope and k == "States") for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, join(pointer, i), False) for i, v in enumerate(value))


def _result(
    diagnostics: list[Diagnostic], severity: str, max_results: int, ignore: frozenset[str]
) -> ValidationResult:
    failed = any(d.severity == ERROR for d in diagnostics)
    kept = [
        d
        for d in diagnostics
        if not (d.severity != ERROR and (severity == ERROR or d.code in ignore))
    ]
    kept.sort(key=lambda d: d.severity != ERROR)  # stable: errors first, then rule by rule
    limit = max_results if max_results > 0 else DEFAULT_MAX_RESULTS
    truncated = len(kept) > limit
    return ValidationResult(
        result="FAIL" if failed else "OK", diagnostics=tuple(kept[:limit]), truncated=truncated
    )
