"""Replay a recorded execution against a machine: does it still do what it did then?

    report = replay(machine, "histories/order-1234.json")
    assert report.identical, report.text

The machine runs on the recorded execution input; every Task, callback and
activity is answered with what the history recorded for that state's call
(its output, or its failure: retries replay as recorded), after the time it
took then, on a virtual clock starting at the recorded start. The history it
writes is compared with the recorded one, event by event (timestamps aside;
JSON text compared as values; masked values, as in the corpus, match
anything): the first difference names the event, the state, what the
history says and what the machine does now.

Calls of one state from several Map iterations or Parallel branches get the
answer recorded for what they were sent (else the next in the order the
history scheduled them). Task tokens AWS made match the ones made now.

What a history does not hold differs: UUIDs and random numbers drawn from
`States.UUID`, `States.MathRandom` or JSONata's `$random()`/`$uuid()`, and
the items a distributed Map's ItemReader read. Events compare in order, so
branches or iterations that interleave otherwise than on AWS differ.
"""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from phalanx.asl import StateMachine
from phalanx.asl.resources import parse_resource
from phalanx.engine.effects import (
    Callback,
    CallbackResponse,
    CallService,
    InvokeLambda,
    LambdaResponse,
    ServiceResponse,
)
from phalanx.engine.history import details_key, to_text
from phalanx.engine.interpreter import ExecutionInfo, Interpreter
from phalanx.errors import LoadError
from phalanx.runtime.clock import VirtualClock, epoch_seconds
from phalanx.runtime.driver import drive
from phalanx.runtime.local import refuse_invalid
from phalanx.runtime.recorder import Recorded, publish
from phalanx.testing.history import (
    RecordedCall,
    RecordedHistory,
    decoded,
    event_states,
    read_history,
    recorded_calls,
)
from phalanx.testing.masks import Masks, same, same_cause

DEFAULT_START = epoch_seconds("2024-01-01T00:00:00Z")
"""Where the clock starts when the history's timestamps are masked."""

_SHOWN = 200
"""Characters of a value shown in a difference."""

_TOKEN_TEXT = r"[A-Za-z0-9+/=_-]+"
"""What a task token is made of (base64 text)."""

_JSON_FIELDS = frozenset({"input", "output", "parameters", "cause"})
_REGION = re.compile(r"([a-z]{2}(?:-[a-z]+)+-\d+)")


@dataclasses.dataclass(frozen=True, slots=True)
class Difference:
    """The first event where the machine parts from the history."""

    event: int
    state: str
    history: str
    now: str

    @property
    def text(self) -> str:
        where = f'event {self.event}, state "{self.state}"' if self.state else f"event {self.event}"
        return f"differs at {where}:\n  history: {self.history}\n  now:     {self.now}"


@dataclasses.dataclass(frozen=True, slots=True)
class ReplayReport:
    """How a replay went: `identical`, or the first `difference`; the new history."""

    difference: Difference | None
    status: str
    history: tuple[dict[str, Any], ...]

    @property
    def identical(self) -> bool:
        return self.difference is None

    @property
    def text(self) -> str:
        return "identical" if self.difference is None else self.difference.text


class _Answers:
    """Answers each state's task calls with the recorded ones, in order, after their time."""

    def __init__(self, calls: Mapping[str, Sequence[RecordedCall]], clock: VirtualClock) -> None:
        self.calls = {state: list(found) for state, found in calls.items()}
        self.clock = clock
        self.tokens: list[str] = []
        """Task tokens handed out: AWS made others, which compare as equal (`_same_but_tokens`)."""

    def _next(self, state: str, sent: Any) -> RecordedCall:
        """The state's next recorded call; the first one sent the same, when there is one.

        Map iterations and Parallel branches calling one state may have been
        scheduled in another order on AWS: what each call was sent tells them apart.
        """
        found = self.calls.get(state)
        if not found:
            return RecordedCall(
                "",
                False,
                error="Replay.NotRecorded",
                cause=f"the history has no more calls of {state}",
            )
        index = next((i for i, call in enumerate(found) if _sent(call) == sent), 0)
        call = found.pop(index)
        self.clock.sleep(call.seconds)
        return call

    def invoke(self, request: InvokeLambda) -> LambdaResponse:
        call = self._next(request.state, request.payload)
        if not call.succeeded:
            return LambdaResponse(error=call.error, cause=call.cause)
        if call.kind == "task" and isinstance(call.output, dict) and "Payload" in call.output:
            # lambda:invoke: the recorded result is the whole Invoke response.
            payload = to_text(call.output["Payload"])
            return LambdaResponse(payload=payload, invoke_result=call.output)
        return LambdaResponse(payload=to_text(call.output))

    def call(self, request: CallService) -> ServiceResponse:
        call = self._next(request.state, request.parameters)
        if not call.succeeded:
            return ServiceResponse(error=call.error or "", cause=call.cause)
        return ServiceResponse(output=call.output)

    def callback(self, request: Callback) -> CallbackResponse:
        self.tokens.append(request.token)
        call = self._next(request.state, request.parameters)
        if not call.succeeded:
            return CallbackResponse(error=call.error or "", cause=call.cause, worker=call.worker)
        return CallbackResponse(output=call.output, worker=call.worker)


def _sent(call: RecordedCall) -> Any:
    """What the engine's request carries of a recorded call: a lambda:invoke's Payload."""
    request = call.request
    if call.kind == "task" and isinstance(request, dict) and "FunctionName" in request:
        payload = request.get("Payload")
        return {} if payload is None else payload
    return request


def _check_states(recorded: RecordedHistory, machine: StateMachine) -> None:
    """`LoadError` when the history enters a state the machine does not have."""
    known = {state.name for _, state in machine.walk()}
    for name in recorded.states_entered:
        if name not in known:
            called = f'machine "{machine.name}"' if machine.name else "the machine"
            raise LoadError(
                f'the history enters state "{name}", which {called} does not have: '
                "is it this machine's history?"
            )


def _info(
    recorded: RecordedHistory, machine: StateMachine, execution_arn: str | None
) -> ExecutionInfo:
    """Names and ARNs as recorded: the execution ARN, else the role ARN and resources."""
    info = ExecutionInfo(
        name="replay",
        state_machine_name=machine.name or "local-machine",
        machine_type=machine.type or "STANDARD",
    )
    if recorded.role_arn:
        info = dataclasses.replace(info, role_arn=recorded.role_arn)
        match = re.match(r"^arn:[^:]+:iam::(\d{12}):", recorded.role_arn)
        if match:
            info = dataclasses.replace(info, account=match.group(1))
    for event in recorded.events:
        # A Task's region, else its function's (a masked `<region>` says nothing).
        details = event.get(details_key(event["type"])) or {}
        regions = (
            str(details.get("region", "")),
            parse_resource(str(details.get("resource", ""))).region,
        )
        region = next((r for r in regions if _REGION.fullmatch(r)), None)
        if region is not None:
            info = dataclasses.replace(info, region=region)
            break
    if execution_arn:
        parts = execution_arn.split(":")
        if len(parts) >= 8:
            info = dataclasses.replace(
                info, region=parts[3], account=parts[4], state_machine_name=parts[6], name=parts[7]
            )
    return info


def replay(
    machine: StateMachine | Mapping[str, Any] | str,
    history: str | Path | Mapping[str, Any] | Sequence[Any] | RecordedHistory,
    *,
    masks: Masks | None = None,
    execution_arn: str | None = None,
    validate: bool = True,
) -> ReplayReport:
    """Run `machine` as the recorded execution ran, answering its tasks from `history`.

    `history` is what `read_history` reads (a file, JSON text, a parsed
    GetExecutionHistory response, a corpus case). `masks` override the
    history's own (a corpus case's). `execution_arn` gives the recorded
    execution's names (`$$.Execution.Name`, the state machine's name).
    `LoadError` when the history is unusable or enters states the machine
    does not have; `InvalidMachineError` when AWS would refuse the machine.
    """
    recorded = history if isinstance(history, RecordedHistory) else read_history(history)
    if not isinstance(machine, StateMachine):
        machine = StateMachine.from_asl(machine)
    _check_states(recorded, machine)
    machine_type = machine.type or "STANDARD"
    if validate:
        refuse_invalid(machine, machine_type)
    clock = VirtualClock(recorded.start if recorded.start is not None else DEFAULT_START)
    answers = _Answers(recorded_calls(recorded.events), clock)
    interpreter = Interpreter(
        machine,
        recorded.input,
        _info(recorded, machine, execution_arn),
        include_data=recorded.include_data,
        input_text=recorded.input_text,
    )
    outcome = drive(
        interpreter, clock, answers, answers.call, random.Random(0), callbacks=answers.callback
    )
    publish(lambda: Recorded(machine, outcome.status, outcome.history, tuple(interpreter.trail)))
    difference = compare(recorded.events, outcome.history, masks or recorded.masks, answers.tokens)
    return ReplayReport(difference, outcome.status, outcome.history)


def compare(
    recorded: Sequence[Mapping[str, Any]],
    now: Sequence[Mapping[str, Any]],
    masks: Masks,
    tokens: Sequence[str] = (),
) -> Difference | None:
    """The first event where `now` parts from `recorded` (timestamps aside), or None.

    `tokens` are the task tokens of `now`: where one appears, any token matches.
    """
    states = event_states(now)
    recorded_states = event_states(recorded)
    for index in range(max(len(recorded), len(now))):
        if index >= len(now):
            return Difference(
                index + 1,
                recorded_states[index],
                _event(recorded[index]),
                "(the execution has ended)",
            )
        if index >= len(recorded):
            return Difference(
                index + 1, states[index], "(the execution has ended)", _event(now[index])
            )
        want, got = recorded[index], now[index]
        state = states[index] or recorded_states[index]
        if want["type"] != got["type"] or _named(want) != _named(got):
            if _named(want) is not None and index > 0:
                # Another state entered: the state before it chose so.
                state = states[index - 1]
            return Difference(index + 1, state, _event(want), _event(got))
        link = want.get("previousEventId")
        if isinstance(link, int) and link != got.get("previousEventId"):
            return Difference(
                index + 1,
                state,
                f"{want['type']} follows event {link}",
                f"{got['type']} follows event {got.get('previousEventId')}",
            )
        field = _first_field_difference(want, got, masks, tokens)
        if field is not None:
            name, expected, actual = field
            return Difference(
                index + 1,
                state,
                f"{want['type']} {name} {_shown(expected)}",
                f"{got['type']} {name} {_shown(actual)}",
            )
    return None


def _details(event: Mapping[str, Any]) -> Mapping[str, Any]:
    found = event.get(details_key(str(event["type"])))
    return found if isinstance(found, Mapping) else {}


def _named(event: Mapping[str, Any]) -> Any:
    return _details(event).get("name")


def _first_field_difference(
    want: Mapping[str, Any], got: Mapping[str, Any], masks: Masks, tokens: Sequence[str]
) -> tuple[str, Any, Any] | None:
    expected, actual = _details(want), _details(got)
    for name in [*expected, *(k for k in actual if k not in expected)]:
        if name not in actual or name not in expected:
            return name, expected.get(name, "(absent)"), actual.get(name, "(absent)")
        left, right = expected[name], actual[name]
        if name == "cause":
            ok = same_cause(left, right, masks)
        elif name in _JSON_FIELDS:
            ok = same(decoded(left), decoded(right), masks)
        elif name == "assignedVariables" and isinstance(left, Mapping):
            ok = (
                isinstance(right, Mapping)
                and set(left) == set(right)
                and all(same(decoded(left[k]), decoded(right[k]), masks) for k in left)
            )
        else:
            ok = same(left, right, masks)
        if not ok and not _same_but_tokens(left, right, tokens):
            return name, left, right
    return None


def _same_but_tokens(recorded: Any, now: Any, tokens: Sequence[str]) -> bool:
    """Equal once each task token in `now` may stand for any token (AWS's are its own)."""
    now_text = now if isinstance(now, str) else to_text(now)
    found = [token for token in tokens if token in now_text]
    if not found:
        return False
    pattern = re.escape(now_text)
    for token in found:
        pattern = pattern.replace(re.escape(token), _TOKEN_TEXT)
    recorded_text = recorded if isinstance(recorded, str) else to_text(recorded)
    return re.fullmatch(pattern, recorded_text) is not None


def _event(event: Mapping[str, Any]) -> str:
    """An event in one line: its type and what tells it apart."""
    details = _details(event)
    parts = [str(event["type"])]
    if "name" in details:
        parts.append(f'"{details["name"]}"')
    for field in ("error", "cause", "output"):
        if field in details:
            parts.append(f"{field} {_shown(details[field])}")
    return " ".join(parts)


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else to_text(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."
