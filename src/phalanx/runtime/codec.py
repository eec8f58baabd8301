"""Journal answers as text and back, so the store keeps plain strings.

An answer is a float (`Now`, `Random`), a string (`Seed`), `None` (`Sleep`,
`Cancel`) or one of the engine's response records; records are written with
their type name so they come back as the same record:

    {"value": 1733490000.123}
    {"record": "LambdaResponse", "fields": {"payload": "{\\"x\\":1}", ...}}

Floats survive the round trip exactly (Python writes the shortest text that
reads back to the same double), so a replayed `Now` is the instant recorded.
"""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

from phalanx.engine.effects import CallbackResponse, LambdaResponse, ServiceResponse
from phalanx.engine.history import to_text

_RECORDS: dict[str, Any] = {
    record.__name__: record for record in (LambdaResponse, ServiceResponse, CallbackResponse)
}


def encode(answer: Any) -> str:
    """The text of a journal answer (`ValueError` for a value JSON cannot hold)."""
    if type(answer) is float and math.isfinite(answer):  # `Now`, `Random`: most entries
        return f'{{"value":{answer!r}}}'
    if type(answer).__name__ in _RECORDS:
        fields = {f.name: getattr(answer, f.name) for f in dataclasses.fields(answer)}
        document: dict[str, Any] = {"record": type(answer).__name__, "fields": fields}
    else:
        document = {"value": answer}
    return to_text(document)


def decode(text: str) -> Any:
    """The answer `encode` wrote."""
    document = json.loads(text)
    record = document.get("record")
    if record is None:
        return document["value"]
    return _RECORDS[record](**document["fields"])
