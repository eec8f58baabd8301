"""Values written in a query language: JSONPath fields, payload templates, JSONata strings.

In a JSONPath state:

- `InputPath`/`OutputPath` are paths (or null); `ResultPath` is a reference
  path on the state's data (no `$$`, no variables) or null; every other
  `...Path` field is a reference path (`ErrorPath`/`CausePath` may also be an
  intrinsic call);
- in payload templates (`Parameters`, `ResultSelector`, `ItemSelector`,
  `Assign`, reader/writer `Parameters`), a key ending in `.$` takes a path or
  an intrinsic call, and two keys may not collide once `.$` is dropped;
- AWS's warnings: `NO_DOLLAR` (a value that looks like a path under a key
  without `.$`), `NO_PATH` (a path in a field whose name does not end in
  `Path`), `PASS_RESULT_IS_STATIC` (a path inside a Pass `Result`).

In a JSONata state every string written `{% ... %}` must parse, and a string
that opens `{%` without closing it is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from phalanx.validation.diagnostics import Report, quote
from phalanx.validation.expressions import (
    has_placeholder,
    intrinsic_error,
    is_intrinsic,
    is_jsonata,
    jsonata_error,
    jsonpath_error,
)
from phalanx.validation.scopes import JSONATA, Machine, StateSite

_REFERENCE_FIELDS = (
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "SecondsPath",
    "TimestampPath",
    "ItemsPath",
    "MaxConcurrencyPath",
    "ToleratedFailureCountPath",
    "ToleratedFailurePercentagePath",
)
_TEMPLATES = ("Parameters", "ResultSelector", "ItemSelector", "Assign")
_JSONATA_FIELDS = (
    "Arguments",
    "Output",
    "Assign",
    "Items",
    "ItemSelector",
    "Error",
    "Cause",
    "Seconds",
    "Timestamp",
    "TimeoutSeconds",
    "HeartbeatSeconds",
    "MaxConcurrency",
    "ToleratedFailureCount",
    "ToleratedFailurePercentage",
    "Credentials",
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "Resource",
)
# Intrinsics that return a string: the only ones ErrorPath/CausePath accept.
_STRING_INTRINSICS = frozenset(
    {
        "States.ArrayGetItem",
        "States.Base64Encode",
        "States.Base64Decode",
        "States.Format",
        "States.JsonToString",
        "States.Hash",
        "States.UUID",
    }
)
_LOOKS_LIKE_PATH = re.compile(r"\$\$?[.\[]")
_MAX_DEPTH = 200

# Where a value is, relative to its state: ("Parameters", "a.$"). Turned into a JSON
# pointer only when reported, which keeps the clean path cheap.
Loc = tuple[str | int, ...]


def check(machine: Machine, report: Report) -> None:
    for site in machine.states:
        if site.query_language == JSONATA:
            _jsonata_state(machine, site, report)
        else:
            _jsonpath_state(machine, site, report)
        _assign_names(site, site.body.get("Assign"), ("Assign",), report)
        for key in ("Catch", "Choices"):
            items = site.body.get(key)
            if isinstance(items, list):
                for i, item in enumerate(items):
                    if isinstance(item, dict):
                        _handler(machine, site, item, (key, i), report)


class _Ctx:
    def __init__(self, machine: Machine, site: StateSite, report: Report) -> None:
        self.machine = machine
        self.site = site
        self.report = report

    def lenient(self, value: object) -> bool:
        return self.machine.options.placeholders and has_placeholder(value)

    def ptr(self, at: Loc) -> str:
        """The JSON pointer of a field, built only when there is something to report."""
        return self.site.at(*at)


def _jsonpath_state(machine: Machine, site: StateSite, report: Report) -> None:
    ctx = _Ctx(machine, site, report)
    for key, value in site.body.items():
        handler = _JSONPATH_FIELDS.get(key)
        if handler is not None:
            handler(ctx, key, value, (key,))


def _input_output(ctx: _Ctx, key: str, value: object, at: Loc) -> None:
    if value is not None:
        _path(ctx, key, value, at, reference=False)


def _result(ctx: _Ctx, key: str, value: object, at: Loc) -> None:
    if value is not None:
        _result_path(ctx, value, at)


def _reference(ctx: _Ctx, key: str, value: object, at: Loc) -> None:
    _path(ctx, key, value, at, reference=True)


def _error_or_cause_path(ctx: _Ctx, key: str, value: object, at: Loc) -> None:
    if not (isinstance(value, str) and is_intrinsic(value)):
        _path(ctx, key, value, at, reference=True)
        return
    _intrinsic(ctx, key, value, at)
    function = value.split("(", 1)[0].strip()
    if function not in _STRING_INTRINSICS:
        ctx.report.schema(
            ctx.ptr(at),
            f'State "{ctx.site.name}": {key} must give a string, but {function} does not '
            f"return one (use one of {', '.join(sorted(_STRING_INTRINSICS))})",
        )


def _payload(ctx: _Ctx, key: str, value: object, at: Loc) -> None:
    if isinstance(value, dict):
        _template(ctx, key, value, at, 0)


def _reader_or_writer(ctx: _Ctx, key: str, value: object, at: Loc) -> None:
    if not isinstance(value, dict):
        return
    if isinstance(value.get("Parameters"), dict):
        _template(ctx, f"{key}.Parameters", value["Parameters"], (*at, "Parameters"), 0)
    config = value.get("ReaderConfig")
    if isinstance(config, dict) and "MaxItemsPath" in config:
        where = (*at, "ReaderConfig", "MaxItemsPath")
        _path(ctx, "MaxItemsPath", config["MaxItemsPath"], where, reference=True)


def _batcher(ctx: _Ctx, key: str, value: object, at: Loc) -> None:
    if not isinstance(value, dict):
        return
    for name in ("MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"):
        if name in value:
            _path(ctx, name, value[name], (*at, name), reference=True)
    if isinstance(value.get("BatchInput"), dict):
        _template(ctx, "BatchInput", value["BatchInput"], (*at, "BatchInput"), 0)


def _literal_error_or_cause(ctx: _Ctx, key: str, value: object, at: Loc) -> None:
    if isinstance(value, str) and _LOOKS_LIKE_PATH.match(value):
        ctx.report.warning(
            "NO_PATH",
            ctx.ptr(at),
            f'State "{ctx.site.name}": {key} {quote(value)} looks like a path, but the field '
            f"is not {key}Path, so it is used as a literal string",
        )


def _result_field(ctx: _Ctx, key: str, value: object, at: Loc) -> None:
    if ctx.site.type == "Pass":
        _static_result(ctx, value, at, 0)


_Handler = Callable[[_Ctx, str, object, Loc], None]

_JSONPATH_FIELDS: dict[str, _Handler] = {
    "InputPath": _input_output,
    "OutputPath": _input_output,
    "ResultPath": _result,
    **{key: _reference for key in _REFERENCE_FIELDS},
    "ErrorPath": _error_or_cause_path,
    "CausePath": _error_or_cause_path,
    **{key: _payload for key in _TEMPLATES},
    "Credentials": _payload,
    "ItemReader": _reader_or_writer,
    "ResultWriter": _reader_or_writer,
    "ItemBatcher": _batcher,
    "Error": _literal_error_or_cause,
    "Cause": _literal_error_or_cause,
    "Result": _result_field,
}


def _path(ctx: _Ctx, key: str, value: object, at: Loc, *, reference: bool) -> None:
    if ctx.lenient(value):
        return
    if not isinstance(value, str):
        ctx.report.schema(
            ctx.ptr(at), f'State "{ctx.site.name}": {key} must be a string, got {quote(value)}'
        )
        return
    problem = jsonpath_error(value, reference=reference)
    if problem:
        kind = "a reference path" if reference else "a valid JSONPath"
        ctx.report.schema(
            ctx.ptr(at), f'State "{ctx.site.name}": {key} {quote(value)} is not {kind}: {problem}'
        )


def _result_path(ctx: _Ctx, value: object, at: Loc) -> None:
    if isinstance(value, str) and (value.startswith("$$") or re.match(r"\$[^.\[]", value)):
        ctx.report.schema(
            ctx.ptr(at),
            f'State "{ctx.site.name}": ResultPath {quote(value)} must be a reference path on '
            "the state's data ('$', '$.field'), not the context object or a variable",
        )
        return
    _path(ctx, "ResultPath", value, at, reference=True)


def _intrinsic(ctx: _Ctx, key: str, value: str, at: Loc) -> None:
    problem = intrinsic_error(value)
    if problem:
        ctx.report.schema(
            ctx.ptr(at),
            f'State "{ctx.site.name}": {key} {quote(value)} is not a valid intrinsic '
            f"function: {problem}",
        )


def _template(ctx: _Ctx, label: str, template: dict[str, Any], at: Loc, depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    seen: dict[str, str] = {}
    for key, value in template.items():
        here = (*at, key)
        plain = key[:-2] if key.endswith(".$") else key
        if plain in seen and not ctx.lenient(key):
            ctx.report.schema(
                ctx.ptr(here),
                f'State "{ctx.site.name}": {label}: the keys {quote(seen[plain])} and {quote(key)} '
                "both set the field " + quote(plain),
            )
        seen[plain] = key
        if key.endswith(".$"):
            _dynamic_value(ctx, label, key, value, here)
        elif isinstance(value, dict):
            _template(ctx, label, value, here, depth + 1)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    _template(ctx, label, item, (*here, i), depth + 1)
        elif isinstance(value, str) and (
            _LOOKS_LIKE_PATH.match(value) or (is_intrinsic(value) and value.rstrip().endswith(")"))
        ):
            ctx.report.warning(
                "NO_DOLLAR",
                ctx.ptr(here),
                f'State "{ctx.site.name}": {label}: {quote(key)} has the value {quote(value)}, '
                f"which looks like a {'path' if value.startswith('$') else 'intrinsic function'}; "
                f"name the key {quote(key + '.$')} to evaluate it",
            )


def _dynamic_value(ctx: _Ctx, label: str, key: str, value: object, at: Loc) -> None:
    if ctx.lenient(value):
        return
    detail = ""
    if isinstance(value, str):
        if is_intrinsic(value):
            _intrinsic(ctx, f"{label}.{key}", value, at)
            return
        problem = jsonpath_error(value)
        if not problem:
            return
        detail = f": {problem}"
    ctx.report.schema(
        ctx.ptr(at),
        f'State "{ctx.site.name}": {label}: the value of {quote(key)} must be a JSONPath or an '
        f"intrinsic function, got {quote(value)}{detail}",
    )


def _static_result(ctx: _Ctx, value: object, at: Loc, depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith(".$"):
                ctx.report.warning(
                    "PASS_RESULT_IS_STATIC",
                    ctx.ptr((*at, key)),
                    f'State "{ctx.site.name}": Result is static, so the key {quote(key)} is not '
                    "evaluated; use Parameters to build the result from paths",
                )
            else:
                _static_result(ctx, item, (*at, key), depth + 1)


def _assign_names(site: StateSite, assign: object, at: Loc, report: Report) -> None:
    if not isinstance(assign, dict):
        return
    for key in assign:
        name = key[:-2] if key.endswith(".$") and site.query_language != JSONATA else key
        if not name or name == "states" or name.startswith("$"):
            report.schema(
                site.at(*at, key),
                f'State "{site.name}": Assign: {quote(name)} is not a valid variable name '
                "(it must not be empty, start with '$', or be the reserved name 'states')",
            )


def _handler(
    machine: Machine, site: StateSite, item: dict[str, Any], at: Loc, report: Report
) -> None:
    """A catcher or choice rule: its Assign, Output and ResultPath."""
    ctx = _Ctx(machine, site, report)
    _assign_names(site, item.get("Assign"), (*at, "Assign"), report)
    if site.query_language == JSONATA:
        for key in ("Assign", "Output", "Condition"):
            if key in item:
                _jsonata_values(ctx, item[key], (*at, key), 0)
    else:
        if isinstance(item.get("Assign"), dict):
            _template(ctx, "Assign", item["Assign"], (*at, "Assign"), 0)
        if item.get("ResultPath") is not None and "ResultPath" in item:
            _result_path(ctx, item["ResultPath"], (*at, "ResultPath"))


def _jsonata_state(machine: Machine, site: StateSite, report: Report) -> None:
    ctx = _Ctx(machine, site, report)
    for key in _JSONATA_FIELDS:
        if key in site.body:
            _jsonata_values(ctx, site.body[key], (key,), 0)


def _jsonata_values(ctx: _Ctx, value: object, at: Loc, depth: int) -> None:
    """Check every `{% %}` string inside `value` (keys are literal in JSONata states)."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, str):
        if is_jsonata(value):
            problem = jsonata_error(value)
            if problem:
                ctx.report.schema(
                    ctx.ptr(at),
                    f'State "{ctx.site.name}": invalid JSONata expression {quote(value)}: '
                    f"{problem}",
                )
        elif value.startswith("{%"):
            ctx.report.schema(
                ctx.ptr(at),
                f'State "{ctx.site.name}": {quote(value)} opens a JSONata expression with '
                "'{%' but does not close it with '%}'",
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _jsonata_values(ctx, item, (*at, key), depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _jsonata_values(ctx, item, (*at, i), depth + 1)
