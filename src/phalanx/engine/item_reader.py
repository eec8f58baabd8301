"""Distributed Map `ItemReader`: read the items from an object (JSON array or CSV).

The engine asks the runtime for the object's text with a `CallService`
effect on the reader's resource (`arn:aws:states:::s3:getObject`) and its
evaluated `Parameters`/`Arguments` (`Bucket`, `Key`); parsing is pure and
lives here. `ReaderConfig`: `InputType` JSON or CSV, `CSVHeaderLocation`
FIRST_ROW or GIVEN (with `CSVHeaders`), `MaxItems`. Any failure is
`States.ItemReaderFailed`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from phalanx.engine.history import from_text
from phalanx.errors import StatesError

ITEM_READER_FAILED = "States.ItemReaderFailed"


def parse_items(text: Any, config: Mapping[str, Any]) -> list[Any]:
    """The items in an object's `text`, as `ReaderConfig` says to read them."""
    if not isinstance(text, str):
        if isinstance(text, list):
            items: list[Any] = text
            return _limit(items, config)
        raise StatesError(ITEM_READER_FAILED, "The item reader did not return the object's text")
    input_type = str(config.get("InputType", "JSON")).upper()
    if input_type == "JSON":
        try:
            value = from_text(text)
        except ValueError as error:
            raise StatesError(
                ITEM_READER_FAILED, f"The object is not valid JSON: {error}"
            ) from None
        if not isinstance(value, list):
            raise StatesError(
                ITEM_READER_FAILED,
                "Attempting to map over non-iterable node: the JSON is not an array",
            )
        return _limit(value, config)
    if input_type == "CSV":
        rows = list(csv.reader(io.StringIO(text)))
        location = str(config.get("CSVHeaderLocation", "FIRST_ROW")).upper()
        if location == "GIVEN":
            headers = config.get("CSVHeaders")
            if not isinstance(headers, list) or not headers:
                raise StatesError(ITEM_READER_FAILED, "CSVHeaders must be a non-empty list")
        else:
            if not rows:
                return []
            headers, rows = rows[0], rows[1:]
        items = []
        for row in rows:
            if not row:
                continue
            if len(row) > len(headers):
                raise StatesError(
                    ITEM_READER_FAILED,
                    f"A CSV row has {len(row)} fields but there are {len(headers)} headers",
                )
            items.append({str(h): (row[i] if i < len(row) else "") for i, h in enumerate(headers)})
        return _limit(items, config)
    raise StatesError(ITEM_READER_FAILED, f"Unsupported ReaderConfig.InputType {input_type!r}")


def _limit(items: list[Any], config: Mapping[str, Any]) -> list[Any]:
    maximum = config.get("MaxItems")
    if isinstance(maximum, int) and not isinstance(maximum, bool) and maximum > 0:
        return items[:maximum]
    return items
