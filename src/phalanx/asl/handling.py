"""Error handling: `Retry` and `Catch` entries of Task, Parallel and Map states."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from phalanx.asl.dynamic import resolve_template
from phalanx.asl.fields import JSON, Kind, Null, asl_field, extra_field


@dataclasses.dataclass(frozen=True, slots=True)
class Retrier:
    """Retry the state when one of `error_equals` occurs.

    Left unset, AWS's defaults apply: 1 s interval, 3 attempts, backoff 2.0.
    """

    error_equals: tuple[str, ...] = asl_field(
        "ErrorEquals", Kind.STRING_LIST, default=(), kw_only=False, required=True
    )
    interval_seconds: int | float | str | None = asl_field("IntervalSeconds", Kind.NUMBER)
    max_attempts: int | float | str | None = asl_field("MaxAttempts", Kind.NUMBER)
    backoff_rate: int | float | str | None = asl_field("BackoffRate", Kind.NUMBER)
    max_delay_seconds: int | float | str | None = asl_field("MaxDelaySeconds", Kind.NUMBER)
    jitter_strategy: str | None = asl_field("JitterStrategy", Kind.STRING)
    comment: str | None = asl_field("Comment", Kind.STRING)
    extra: Mapping[str, JSON] = extra_field()


@dataclasses.dataclass(frozen=True, slots=True)
class Catcher:
    """Go to `next_state` when one of `error_equals` occurs and retries are spent."""

    error_equals: tuple[str, ...] = asl_field(
        "ErrorEquals", Kind.STRING_LIST, default=(), kw_only=False, required=True
    )
    next_state: str = asl_field("Next", Kind.STRING, default="", kw_only=False, required=True)
    result_path: str | Null | None = asl_field("ResultPath", Kind.PATH)
    output: Any = asl_field("Output", Kind.ANY)
    assign: Mapping[str, JSON] | None = asl_field("Assign", Kind.OBJECT)
    comment: str | None = asl_field("Comment", Kind.STRING)
    extra: Mapping[str, JSON] = extra_field()

    def __post_init__(self) -> None:
        object.__setattr__(self, "assign", resolve_template(self.assign))
