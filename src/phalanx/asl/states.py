"""The eight state types of the Amazon States Language, as frozen data.

Field names are the ASL keys in snake case (`ResultPath` -> `result_path`);
`Next` is `next_state`, leaving `.next()` free for the builder. A field left
out is `None`; a field set to JSON null is `NULL` (see `fields.py`). Keys the
model does not know are kept in `extra`.

The classes double as the builder: every method returns a changed copy::

    roll = Task("lambdaRollDie", roll_die).next("checkRoll")
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from phalanx.asl.dynamic import is_jsonata, resolve_template
from phalanx.asl.fields import JSON, Kind, Null, asl_field, extra_field
from phalanx.asl.handling import Catcher, Retrier
from phalanx.asl.rules import BooleanExpression, ChoiceRule
from phalanx.paths import display_path

if TYPE_CHECKING:
    from phalanx.asl.machine import Branch
    from phalanx.functions import LambdaFunction

Number = int | float | str
"""A number, or a string standing for one (a JSONata expression or `${...}` placeholder)."""

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_CODEC_SUFFIX = os.path.join("asl", "codec.py")

# Fields whose `Expression` values get the `.$` key suffix (JSONPath payload templates).
_TEMPLATE_FIELDS = ("parameters", "result_selector", "item_selector", "assign", "credentials")

S = TypeVar("S", bound="State")


@dataclasses.dataclass(frozen=True, slots=True)
class SourceLocation:
    """Where in the user's Python code a state was built."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{display_path(self.file)}:{self.line}"


def _caller_location() -> SourceLocation | None:
    """The first frame outside Phalanx and `dataclasses`: the user's line.

    States read from JSON (built by the codec) have no Python location.
    """
    frame: Any = sys._getframe(2)
    while frame is not None:
        filename: str = frame.f_code.co_filename
        if filename.endswith(_CODEC_SUFFIX):
            return None
        internal = filename.startswith(_PACKAGE_DIR) or filename.endswith("dataclasses.py")
        if not internal and filename != "<string>":
            return None if filename.startswith("<") else SourceLocation(filename, frame.f_lineno)
        frame = frame.f_back
    return None


def error_names(errors: str | Sequence[str]) -> tuple[str, ...]:
    """`ErrorEquals` from one error name or several; AWS requires at least one."""
    names = (errors,) if isinstance(errors, str) else tuple(errors)
    if not names:
        raise ValueError("ErrorEquals needs at least one error name, e.g. 'States.ALL'")
    return names


def target_name(target: str | State) -> str:
    """The name of a transition target given as a state or a name."""
    return target if isinstance(target, str) else target.name


def _linking(state: State, target: str | State) -> tuple[State, ...]:
    """`state.linked`, plus `target` when it is a State the machine can find through it."""
    return state.linked if isinstance(target, str) else (*state.linked, target)


@dataclasses.dataclass(frozen=True, slots=True)
class State:
    """Fields every state has. `name` is its key in `States`."""

    type_name: ClassVar[str] = ""

    name: str = ""
    comment: str | None = asl_field("Comment", Kind.STRING)
    query_language: str | None = asl_field("QueryLanguage", Kind.STRING)
    extra: Mapping[str, JSON] = extra_field()
    defined_at: SourceLocation | None = dataclasses.field(
        default=None, kw_only=True, compare=False, repr=False
    )
    linked: tuple[State, ...] = dataclasses.field(
        default=(), kw_only=True, compare=False, repr=False
    )
    """The State objects given to `.next()`, `.when()`, `.otherwise()` and `.catching()`.

    Not ASL and not part of equality (the target is written by name): it lets
    `StateMachine.of(first)` find every state reachable from `first`.
    """

    def __post_init__(self) -> None:
        if self.defined_at is None:
            object.__setattr__(self, "defined_at", _caller_location())
        if not self.name:
            object.__setattr__(self, "name", self._default_name())
        for field in _TEMPLATE_FIELDS:
            value = getattr(self, field, None)
            if isinstance(value, dict):
                object.__setattr__(self, field, resolve_template(value))
        self._check()

    def _check(self) -> None:
        """Refuse builder mistakes that would write ASL AWS rejects."""

    def _default_name(self) -> str:
        return self.type_name


@dataclasses.dataclass(frozen=True, slots=True)
class Fail(State):
    """End the execution as failed with an error name and a cause."""

    type_name: ClassVar[str] = "Fail"

    error: str | None = asl_field("Error", Kind.STRING)
    error_path: str | None = asl_field("ErrorPath", Kind.STRING, only="JSONPath")
    cause: str | None = asl_field("Cause", Kind.STRING)
    cause_path: str | None = asl_field("CausePath", Kind.STRING, only="JSONPath")


@dataclasses.dataclass(frozen=True, slots=True)
class _Flowing(State):
    """States that take input and give output (all but Fail)."""

    input_path: str | Null | None = asl_field("InputPath", Kind.PATH, only="JSONPath")
    output_path: str | Null | None = asl_field("OutputPath", Kind.PATH, only="JSONPath")
    output: Any = asl_field("Output", Kind.ANY, only="JSONata")


@dataclasses.dataclass(frozen=True, slots=True)
class Succeed(_Flowing):
    """End the execution successfully with the state's output."""

    type_name: ClassVar[str] = "Succeed"


@dataclasses.dataclass(frozen=True, slots=True)
class _Assigning(_Flowing):
    """States that may set variables (`Assign`)."""

    assign: Mapping[str, JSON] | None = asl_field("Assign", Kind.OBJECT)


@dataclasses.dataclass(frozen=True, slots=True)
class Choice(_Assigning):
    """Branch on the first rule that holds, else go to `default`."""

    type_name: ClassVar[str] = "Choice"

    choices: tuple[ChoiceRule, ...] = asl_field("Choices", Kind.NESTED, default=(), nested="rules")
    default: str | None = asl_field("Default", Kind.STRING)

    def when(
        self,
        condition: BooleanExpression | str | bool,
        target: str | State,
        *,
        assign: Mapping[str, JSON] | None = None,
        output: Any = None,
        comment: str | None = None,
    ) -> Choice:
        """Add a rule: go to `target` when `condition` holds.

        `condition` is an expression from `phalanx.asl.conditions`, or for
        JSONata a `jsonata("...")` text (or a boolean literal).
        """
        if isinstance(condition, str) and not is_jsonata(condition):
            raise ValueError(
                f"Choice {self.name!r}: condition {condition!r} is neither a comparison from "
                "phalanx.asl.conditions nor a JSONata {% ... %} expression (use jsonata(...))"
            )
        rule = ChoiceRule(
            condition, target_name(target), assign=assign, output=output, comment=comment
        )
        return dataclasses.replace(
            self, choices=(*self.choices, rule), linked=_linking(self, target)
        )

    def otherwise(self, target: str | State) -> Choice:
        """Set the `Default` state, taken when no rule holds."""
        return dataclasses.replace(self, default=target_name(target), linked=_linking(self, target))


@dataclasses.dataclass(frozen=True, slots=True)
class _Chainable(_Assigning):
    """States that go on to a `Next` state or `End` the execution."""

    next_state: str | None = asl_field("Next", Kind.STRING)
    end: bool | None = asl_field("End", Kind.BOOLEAN)

    def next(self: S, target: str | State) -> S:
        """Continue with `target` after this state."""
        return dataclasses.replace(
            self,
            next_state=target_name(target),  # type: ignore[call-arg]
            end=None,
            linked=_linking(self, target),
        )

    def ends(self: S) -> S:
        """Make this state the last one (`"End": true`)."""
        return dataclasses.replace(self, next_state=None, end=True)  # type: ignore[call-arg]


@dataclasses.dataclass(frozen=True, slots=True)
class Pass(_Chainable):
    """Pass its input to its output, optionally injecting `result`."""

    type_name: ClassVar[str] = "Pass"

    parameters: Mapping[str, JSON] | None = asl_field("Parameters", Kind.OBJECT, only="JSONPath")
    result: Any = asl_field("Result", Kind.ANY, only="JSONPath")
    result_path: str | Null | None = asl_field("ResultPath", Kind.PATH, only="JSONPath")


@dataclasses.dataclass(frozen=True, slots=True)
class Wait(_Chainable):
    """Wait a number of seconds or until a timestamp."""

    type_name: ClassVar[str] = "Wait"

    seconds: Number | None = asl_field("Seconds", Kind.NUMBER)
    timestamp: str | None = asl_field("Timestamp", Kind.STRING)
    seconds_path: str | None = asl_field("SecondsPath", Kind.STRING, only="JSONPath")
    timestamp_path: str | None = asl_field("TimestampPath", Kind.STRING, only="JSONPath")


@dataclasses.dataclass(frozen=True, slots=True)
class _Fallible(_Chainable):
    """States that do work and may fail: they take `Retry`, `Catch` and `ResultSelector`."""

    result_selector: Mapping[str, JSON] | None = asl_field(
        "ResultSelector", Kind.OBJECT, only="JSONPath"
    )
    result_path: str | Null | None = asl_field("ResultPath", Kind.PATH, only="JSONPath")
    retry: tuple[Retrier, ...] | None = asl_field("Retry", Kind.NESTED, nested="retriers")
    catch: tuple[Catcher, ...] | None = asl_field("Catch", Kind.NESTED, nested="catchers")

    def retrying(
        self: S,
        errors: str | Sequence[str] = ("States.ALL",),
        *,
        interval_seconds: int | None = None,
        max_attempts: int | None = None,
        backoff_rate: float | None = None,
        max_delay_seconds: int | None = None,
        jitter_strategy: str | None = None,
    ) -> S:
        """Add a `Retry` entry for `errors` (AWS's defaults where left out)."""
        retrier = Retrier(
            error_names(errors),
            interval_seconds=interval_seconds,
            max_attempts=max_attempts,
            backoff_rate=backoff_rate,
            max_delay_seconds=max_delay_seconds,
            jitter_strategy=jitter_strategy,
        )
        existing = self.retry or ()  # type: ignore[attr-defined]
        return dataclasses.replace(self, retry=(*existing, retrier))  # type: ignore[call-arg]

    def catching(
        self: S,
        errors: str | Sequence[str],
        target: str | State,
        *,
        result_path: str | Null | None = None,
        output: Any = None,
        assign: Mapping[str, JSON] | None = None,
    ) -> S:
        """Add a `Catch` entry: on `errors`, go to `target`."""
        catcher = Catcher(
            error_names(errors),
            target_name(target),
            result_path=result_path,
            output=output,
            assign=assign,
        )
        existing = self.catch or ()  # type: ignore[attr-defined]
        return dataclasses.replace(
            self,
            catch=(*existing, catcher),  # type: ignore[call-arg]
            linked=_linking(self, target),
        )


@dataclasses.dataclass(frozen=True, slots=True)
class Task(_Fallible):
    """Do one unit of work: call a Lambda function or another AWS service.

    `resource` is an ARN, or a `phalanx.function`: then it is the function's
    ARN when deployed and the Python function itself when run locally.
    """

    type_name: ClassVar[str] = "Task"

    resource: str | LambdaFunction = asl_field(
        "Resource", Kind.STRING, default="", kw_only=False, required=True
    )
    parameters: Mapping[str, JSON] | None = asl_field("Parameters", Kind.OBJECT, only="JSONPath")
    arguments: Any = asl_field("Arguments", Kind.OBJECT_OR_STRING, only="JSONata")
    timeout_seconds: Number | None = asl_field("TimeoutSeconds", Kind.NUMBER)
    timeout_seconds_path: str | None = asl_field("TimeoutSecondsPath", Kind.STRING, only="JSONPath")
    heartbeat_seconds: Number | None = asl_field("HeartbeatSeconds", Kind.NUMBER)
    heartbeat_seconds_path: str | None = asl_field(
        "HeartbeatSecondsPath", Kind.STRING, only="JSONPath"
    )
    credentials: Any = asl_field("Credentials", Kind.ANY)

    def _check(self) -> None:
        if self.resource == "" and self.defined_at is not None:
            hint = (
                f" (did you mean Task(resource={self.name!r})?)"
                if self.name.startswith("arn:")
                else ""
            )
            raise TypeError(f"Task {self.name!r} needs a resource: Task(name, resource){hint}")

    def _default_name(self) -> str:
        if isinstance(self.resource, str):
            return self.resource.rsplit(":", 1)[-1] or "Task"
        return self.resource.name


@dataclasses.dataclass(frozen=True, slots=True)
class Parallel(_Fallible):
    """Run every branch on the same input; the output is the list of their outputs."""

    type_name: ClassVar[str] = "Parallel"

    branches: tuple[Branch, ...] = asl_field(
        "Branches", Kind.NESTED, default=(), nested="branches", kw_only=False
    )
    parameters: Mapping[str, JSON] | None = asl_field("Parameters", Kind.OBJECT, only="JSONPath")
    arguments: Any = asl_field("Arguments", Kind.OBJECT_OR_STRING, only="JSONata")


@dataclasses.dataclass(frozen=True, slots=True)
class Map(_Fallible):
    """Run `item_processor` (or the older `iterator`) once per item of the input."""

    type_name: ClassVar[str] = "Map"

    item_processor: Branch | None = asl_field("ItemProcessor", Kind.NESTED, nested="branch")
    iterator: Branch | None = asl_field("Iterator", Kind.NESTED, nested="branch")
    items_path: str | None = asl_field("ItemsPath", Kind.STRING, only="JSONPath")
    items: Any = asl_field("Items", Kind.ANY, only="JSONata")
    item_selector: Any = asl_field("ItemSelector", Kind.OBJECT_OR_STRING)
    parameters: Mapping[str, JSON] | None = asl_field("Parameters", Kind.OBJECT, only="JSONPath")
    item_reader: Mapping[str, JSON] | None = asl_field("ItemReader", Kind.OBJECT)
    item_batcher: Mapping[str, JSON] | None = asl_field("ItemBatcher", Kind.OBJECT)
    result_writer: Mapping[str, JSON] | None = asl_field("ResultWriter", Kind.OBJECT)
    max_concurrency: Number | None = asl_field("MaxConcurrency", Kind.NUMBER)
    max_concurrency_path: str | None = asl_field("MaxConcurrencyPath", Kind.STRING, only="JSONPath")
    tolerated_failure_percentage: Number | None = asl_field(
        "ToleratedFailurePercentage", Kind.NUMBER
    )
    tolerated_failure_percentage_path: str | None = asl_field(
        "ToleratedFailurePercentagePath", Kind.STRING, only="JSONPath"
    )
    tolerated_failure_count: Number | None = asl_field("ToleratedFailureCount", Kind.NUMBER)
    tolerated_failure_count_path: str | None = asl_field(
        "ToleratedFailureCountPath", Kind.STRING, only="JSONPath"
    )
    label: str | None = asl_field("Label", Kind.STRING)

    def _check(self) -> None:
        for field in ("item_reader", "result_writer"):
            config = getattr(self, field)
            if isinstance(config, dict) and isinstance(config.get("Parameters"), dict):
                resolved = {**config, "Parameters": resolve_template(config["Parameters"])}
                object.__setattr__(self, field, resolved)

    @property
    def processor(self) -> Branch | None:
        """The body run per item, whichever of `ItemProcessor`/`Iterator` holds it."""
        return self.item_processor if self.item_processor is not None else self.iterator


STATE_TYPES: Mapping[str, type[State]] = {
    cls.type_name: cls for cls in (Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map)
}
"""State classes by their ASL `Type`."""
