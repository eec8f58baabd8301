"""Map state fields: the processor, ItemReader, ItemBatcher, ResultWriter, limits and Label.

From the developer guide's Map pages ("ItemReader", "ItemBatcher",
"ResultWriter", "Label"): a Map needs an ItemProcessor (or the legacy
Iterator); `ProcessorConfig.Mode` is INLINE or DISTRIBUTED and a distributed
Map needs an `ExecutionType`; `Label` has at most 40 characters and none of
the characters AWS forbids in names.
"""

from __future__ import annotations

from typing import Any

from phalanx.validation.diagnostics import Report, join, quote
from phalanx.validation.expressions import has_placeholder, is_jsonata
from phalanx.validation.names import forbidden_character
from phalanx.validation.schema import is_int
from phalanx.validation.scopes import JSONATA, Machine, StateSite

LABEL_MAX = 40

_READER_JSONPATH = frozenset({"Resource", "Parameters", "ReaderConfig"})
_READER_JSONATA = frozenset({"Resource", "Arguments", "ReaderConfig"})
_READER_CONFIG = frozenset(
    {
        "InputType",
        "CSVHeaderLocation",
        "CSVHeaders",
        "CSVDelimiter",
        "MaxItems",
        "MaxItemsPath",
        "ManifestType",
    }
)
_WRITER_JSONPATH = frozenset({"Resource", "Parameters", "WriterConfig"})
_WRITER_JSONATA = frozenset({"Resource", "Arguments", "WriterConfig"})
_OUTPUT_TYPES = frozenset({"JSON", "JSONL"})
_TRANSFORMATIONS = frozenset({"NONE", "COMPACT", "FLATTEN"})
_BATCHER = frozenset(
    {
        "MaxItemsPerBatch",
        "MaxItemsPerBatchPath",
        "MaxInputBytesPerBatch",
        "MaxInputBytesPerBatchPath",
        "BatchInput",
    }
)


def check(machine: Machine, report: Report) -> None:
    for site in machine.states:
        if site.type == "Map":
            _check_map(machine, site, report)


def _check_map(machine: Machine, site: StateSite, report: Report) -> None:
    body = site.body
    name = site.name
    jsonata = site.query_language == JSONATA
    if "ItemProcessor" not in body and "Iterator" not in body:
        report.schema(site.pointer, f'State "{name}": These fields are required: [ItemProcessor]')
    for key in ("ItemProcessor", "Iterator"):
        if key in body and not isinstance(body[key], dict):
            report.schema(
                site.at(key), f'State "{name}": {key} must be an object, got {quote(body[key])}'
            )
    processor = body.get("ItemProcessor")
    if isinstance(processor, dict) and "ProcessorConfig" in processor:
        _processor_config(site, processor["ProcessorConfig"], report)
    if "Items" in body and not (isinstance(body["Items"], list) or is_jsonata(body["Items"])):
        report.schema(
            site.at("Items"),
            f'State "{name}": Items must be an array or a JSONata expression, '
            f"got {quote(body['Items'])}",
        )
    numbers = (
        ("MaxConcurrency", 0, None),
        ("ToleratedFailureCount", 0, None),
        ("ToleratedFailurePercentage", 0, 100),
    )
    for key, low, high in numbers:
        if key not in body:
            continue
        value = body[key]
        if (jsonata and is_jsonata(value)) or (
            machine.options.placeholders and has_placeholder(value)
        ):
            continue
        number_ok = isinstance(value, int | float) and not isinstance(value, bool)
        if key != "ToleratedFailurePercentage" and not is_int(value):
            report.schema(
                site.at(key), f'State "{name}": {key} must be an integer, got {quote(value)}'
            )
        elif not number_ok:
            report.schema(
                site.at(key), f'State "{name}": {key} must be a number, got {quote(value)}'
            )
        elif value < low or (high is not None and value > high):
            bound = f"between {low} and {high}" if high is not None else f"at least {low}"
            report.schema(
                site.at(key), f'State "{name}": {key} must be {bound}, got {quote(value)}'
            )
    if "Label" in body:
        _label(site, body["Label"], report)
    if "ItemReader" in body:
        _reader(site, body["ItemReader"], report)
    if "ResultWriter" in body:
        _writer(site, body["ResultWriter"], report)
    if "ItemBatcher" in body:
        _batcher(site, body["ItemBatcher"], report)


def _processor_config(site: StateSite, config: object, report: Report) -> None:
    at = site.at("ItemProcessor", "ProcessorConfig")
    if not isinstance(config, dict):
        report.schema(
            at, f'State "{site.name}": ProcessorConfig must be an object, got {quote(config)}'
        )
        return
    for key in config:
        if key not in ("Mode", "ExecutionType"):
            report.schema(
                join(at, key),
                f"State \"{site.name}\": the field '{key}' is not supported in ProcessorConfig",
            )
    mode = config.get("Mode", "INLINE")
    if mode not in ("INLINE", "DISTRIBUTED"):
        report.schema(
            join(at, "Mode"),
            f'State "{site.name}": Mode must be INLINE or DISTRIBUTED, got {quote(mode)}',
        )
    execution = config.get("ExecutionType")
    if "ExecutionType" in config and execution not in ("STANDARD", "EXPRESS"):
        report.schema(
            join(at, "ExecutionType"),
            f'State "{site.name}": ExecutionType must be STANDARD or EXPRESS, '
            f"got {quote(execution)}",
        )
    if mode == "DISTRIBUTED" and "ExecutionType" not in config:
        report.schema(at, f"These fields are required: [ExecutionType] at {at}")


def _label(site: StateSite, label: object, report: Report) -> None:
    at = site.at("Label")
    if not isinstance(label, str):
        report.schema(at, f'State "{site.name}": Label must be a string, got {quote(label)}')
    elif not label:
        report.schema(at, f'State "{site.name}": Label cannot be empty')
    elif len(label) > LABEL_MAX:
        report.schema(at, f'State "{site.name}": Label cannot exceed {LABEL_MAX} characters')
    else:
        bad = forbidden_character(label)
        if bad is not None:
            report.schema(at, f'State "{site.name}": Label contains invalid character: {bad!r}')


def _object(site: StateSite, key: str, value: object, report: Report) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        report.schema(
            site.at(key), f'State "{site.name}": {key} must be an object, got {quote(value)}'
        )
        return None
    return value


def _reader(site: StateSite, value: object, report: Report) -> None:
    reader = _object(site, "ItemReader", value, report)
    if reader is None:
        return
    allowed = _READER_JSONATA if site.query_language == JSONATA else _READER_JSONPATH
    _fields(site, "ItemReader", reader, allowed, report)
    config = reader.get("ReaderConfig")
    if "ReaderConfig" in reader:
        at = site.at("ItemReader", "ReaderConfig")
        if not isinstance(config, dict):
            report.schema(at, f'State "{site.name}": ReaderConfig must be an object')
            return
        for key in config:
            if key not in _READER_CONFIG:
                report.schema(
                    join(at, key),
                    f"State \"{site.name}\": the field '{key}' is not supported in ReaderConfig",
                )
        if "MaxItems" in config and "MaxItemsPath" in config:
            report.schema(
                join(at, "MaxItemsPath"),
                f'State "{site.name}": only one of MaxItems, MaxItemsPath may be set',
            )
        max_items = config.get("MaxItems")
        if (
            "MaxItems" in config
            and not is_jsonata(max_items)
            and (not is_int(max_items) or max_items < 0)  # type: ignore[operator]
        ):
            report.schema(
                join(at, "MaxItems"),
                f'State "{site.name}": MaxItems must be a non-negative integer, '
                f"got {quote(max_items)}",
            )


def _writer(site: StateSite, value: object, report: Report) -> None:
    writer = _object(site, "ResultWriter", value, report)
    if writer is None:
        return
    allowed = _WRITER_JSONATA if site.query_language == JSONATA else _WRITER_JSONPATH
    _fields(site, "ResultWriter", writer, allowed, report, required=())
    if "Resource" not in writer and "WriterConfig" not in writer:
        at = site.at("ResultWriter")
        report.schema(at, f"These fields are required: [Resource] at {at}")
    config = writer.get("WriterConfig")
    if "WriterConfig" in writer:
        at = site.at("ResultWriter", "WriterConfig")
        if not isinstance(config, dict):
            report.schema(at, f'State "{site.name}": WriterConfig must be an object')
            return
        missing = [f for f in ("OutputType",) if f not in config]
        if missing:
            report.schema(at, f"These fields are required: [{', '.join(missing)}] at {at}")
        for key, allowed in (("OutputType", _OUTPUT_TYPES), ("Transformation", _TRANSFORMATIONS)):
            if (
                key in config
                and not is_jsonata(config[key])
                and not (isinstance(config[key], str) and config[key] in allowed)
            ):
                report.schema(
                    join(at, key),
                    f'State "{site.name}": {key} must be one of {", ".join(sorted(allowed))}, '
                    f"got {quote(config[key])}",
                )


def _batcher(site: StateSite, value: object, report: Report) -> None:
    batcher = _object(site, "ItemBatcher", value, report)
    if batcher is None:
        return
    _fields(site, "ItemBatcher", batcher, _BATCHER, report, required=())
    at = site.at("ItemBatcher")
    for key in ("MaxItemsPerBatch", "MaxInputBytesPerBatch"):
        if key in batcher and key + "Path" in batcher:
            report.schema(
                join(at, key + "Path"),
                f'State "{site.name}": only one of {key}, {key}Path may be set',
            )
        number = batcher.get(key)
        if key in batcher and not is_jsonata(number) and (not is_int(number) or number < 1):  # type: ignore[operator]
            report.schema(
                join(at, key),
                f'State "{site.name}": {key} must be a positive integer, got {quote(number)}',
            )
    if "BatchInput" in batcher and not isinstance(batcher["BatchInput"], dict | str):
        report.schema(join(at, "BatchInput"), f'State "{site.name}": BatchInput must be an object')


def _fields(
    site: StateSite,
    key: str,
    value: dict[str, Any],
    allowed: frozenset[str],
    report: Report,
    required: tuple[str, ...] = ("Resource",),
) -> None:
    at = site.at(key)
    for field in value:
        if field not in allowed:
            report.schema(
                join(at, field),
                f"State \"{site.name}\": the field '{field}' is not supported in {key}",
            )
    missing = [f for f in required if f not in value]
    if missing:
        report.schema(at, f"These fields are required: [{', '.join(missing)}] at {at}")
    if "Resource" in value and not isinstance(value["Resource"], str):
        report.schema(join(at, "Resource"), f'State "{site.name}": {key}.Resource must be a string')
