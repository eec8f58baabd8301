"""TestState: run one state on its own and say how it ended (`engine/single_state.py`).

The request checks follow AWS's recorded answers (API_TestState; "Testing state
machines with TestState API" in the developer guide):

* `definition` is one state's JSON (validated as the machine AWS wraps it in,
  `{"StartAt": "StateName", "States": {"StateName": ...}}`, its Next need not
  exist) or, with `stateName`, a whole machine; an unknown `stateName` is
  `ValidationException: State not found in definition`;
* a mock is for Task, Map and Parallel states only, and Map and Parallel need
  one, as do activity tasks and `.sync` / `.waitForTaskToken` integrations;
  a Map with a ResultWriter is mocked with an object, other Maps and
  Parallels with an array; `context` and
  `stateConfiguration.mapIterationFailureCount` need a mock;
* `context` is checked member by member (known fields, their types; `Task`
  only for a `.sync` or `.waitForTaskToken` Task);
* a Task without a mock needs `roleArn` and calls its function or integration
  as an execution's Task does (a `--functions` Lambda runs in-process);
* `inspectionLevel` INFO (default) answers no `inspectionData`; DEBUG and TRACE
  give the data at each stage. Phalanx records no HTTP request/response, so
  TRACE shows what DEBUG shows.

Accepted but not applied:

* `mock.fieldValidationMode`: Phalanx behaves as NONE whatever is asked (AWS's
  default is STRICT: a mocked result is checked against the service's API
  model, which Phalanx does not carry);
* `stateConfiguration.errorCausedByState` (the state a mocked Map or Parallel
  error comes from) and `stateConfiguration.mapItemReaderData` (the data an
  ItemReader would read): ignored; a mocked Map with an ItemReader reads no
  items.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from phalanx.api.context import Context
from phalanx.api.definitions import require_valid
from phalanx.api.errors import ApiError, validation
from phalanx.api.operations import Operation, Request, Response
from phalanx.api.shapes import ARN, DEFINITION, boolean, integer, string, structure
from phalanx.asl import Map, Parallel, State, StateMachine, Task
from phalanx.engine.history import from_text, to_text
from phalanx.engine.interpreter import ExecutionInfo
from phalanx.engine.single_state import MockedResult, SingleState, StateTestOutcome
from phalanx.engine.task import parse_resource
from phalanx.runtime.driver import drive, unanswered_callback
from phalanx.validation import Diagnostic

SENSITIVE_DATA = string(max=262144)
STATE_NAME = string(1, 80)
TEST_STATE_INPUT = structure(
    ("definition",),
    definition=DEFINITION,
    roleArn=ARN,
    input=SENSITIVE_DATA,
    inspectionLevel=string(enum=("INFO", "DEBUG", "TRACE")),
    revealSecrets=boolean(),
    variables=SENSITIVE_DATA,
    stateName=STATE_NAME,
    mock=structure(
        result=SENSITIVE_DATA,
        errorOutput=structure(error=string(0, 256), cause=string(0, 32768)),
        fieldValidationMode=string(enum=("STRICT", "PRESENT", "NONE")),
    ),
    context=SENSITIVE_DATA,
    stateConfiguration=structure(
        retrierRetryCount=integer(0),
        errorCausedByState=STATE_NAME,
        mapIterationFailureCount=integer(0),
        mapItemReaderData=SENSITIVE_DATA,
    ),
)

WRAPPED_STATE_NAME = "StateName"
"""The name AWS gives a lone state (its diagnostics point at /States/StateName/...)."""

INVALID_CONTEXT = "Invalid Context object provided: "
STRING, INTEGER = "a string", "an integer"
CONTEXT_SHAPE: dict[str, dict[str, str | None]] = {
    "Execution": {
        "Id": STRING,
        "Input": None,
        "Name": STRING,
        "RoleArn": STRING,
        "StartTime": STRING,
        "RedriveCount": INTEGER,
        "RedriveTime": STRING,
    },
    "State": {"EnteredTime": STRING, "Name": STRING, "RetryCount": INTEGER},
    "StateMachine": {"Id": STRING, "Name": STRING},
    "Task": {"Token": STRING},
}
"""What a mocked Context object may hold, and each member's type (None: any JSON).

The members are the Context object's ("Accessing execution data from the
Context object"); `Map` is refused. Recorded AWS answers
(test_state_context_object_validation_failures) give the texts for an
unknown field at either level and for `Execution.Id` not a string.
"""


def run_test_state(context: Context, request: Request) -> Response:
    machine, name = _machine_and_state(request)
    state = machine.states[name]
    mock = _mock(request, state)
    if mock is None and isinstance(state, Map | Parallel):
        raise ApiError(
            "InvalidDefinition",
            "TestState API does not support Map or Parallel states. "
            "Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]",
        )
    if mock is None and isinstance(state, Task) and _waits(state):
        # API_TestState: "TestState only supports the following when a mock is
        # specified: Activity tasks, .sync or .waitForTaskToken service integration
        # patterns, Parallel, or Map states." No AWS answer is recorded: the error
        # is the unmocked Map's, with the API reference's words.
        raise ApiError(
            "InvalidDefinition",
            "TestState API supports Activity tasks and the .sync and .waitForTaskToken "
            "service integration patterns only when a mock is specified",
        )
    role_arn = request.get("roleArn")
    if mock is None and isinstance(state, Task) and role_arn is None:
        raise validation("RoleArn must be specified when testing a Task state")
    configuration = request.get("stateConfiguration") or {}
    runtime = context.runtime
    tester = SingleState(
        machine,
        name,
        _json(request.get("input", "{}"), "input"),
        ExecutionInfo(
            name=str(uuid.uuid4()),
            state_machine_name=str(uuid.uuid4()),
            role_arn=role_arn,  # type: ignore[arg-type]  # null in the context without one, as AWS
            region=context.region,
            account=context.account,
            machine_type="EXPRESS",
        ),
        variables=_variables(request),
        context=_context(request, state, mock),
        mock=mock,
        retry_count=configuration.get("retrierRetryCount", 0),
    )
    drive(tester, runtime.clock, runtime.invoker, runtime.services, callbacks=unanswered_callback)
    assert tester.tested is not None
    return _response(tester.tested, request.get("inspectionLevel", "INFO"))


def _machine_and_state(request: Request) -> tuple[StateMachine, str]:
    """The machine to run in, and the name of the state to test; InvalidDefinition if invalid."""
    definition: str = request["definition"]
    name = request.get("stateName")
    if name is not None:
        require_valid(definition, "STANDARD")
        machine = StateMachine.from_asl(definition)
        if name not in machine.states:
            raise validation("State not found in definition")
        return machine, name
    try:
        state = json.loads(definition)
    except ValueError:
        state = None
    if not isinstance(state, dict):
        raise ApiError(
            "InvalidDefinition",
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: "
            "the definition must be one state's JSON object'",
        )
    wrapped = {"StartAt": WRAPPED_STATE_NAME, "States": {WRAPPED_STATE_NAME: state}}
    require_valid(json.dumps(wrapped), "STANDARD", ignore=_outside_the_lone_state)
    return StateMachine.from_asl(wrapped), WRAPPED_STATE_NAME


LONE_STATE_TRANSITIONS = frozenset({"MISSING_TRANSITION_TARGET", "MISSING_END_STATE"})
"""What a lone state's wrapper lacks: the states its Next names, and an end."""


def _outside_the_lone_state(diagnostic: Diagnostic) -> bool:
    """A transition the lone state's wrapper cannot satisfy: not an error for TestState.

    Inside a Parallel's branches or a Map's processor, the same codes still count.
    """
    if diagnostic.code not in LONE_STATE_TRANSITIONS:
        return False
    inner = diagnostic.location.removeprefix(f"/States/{WRAPPED_STATE_NAME}")
    return not any(part in inner for part in ("/Branches/", "/ItemProcessor", "/Iterator"))


def _mock(request: Request, state: State) -> MockedResult | None:
    mock = request.get("mock")
    configuration = request.get("stateConfiguration") or {}
    failures = configuration.get("mapIterationFailureCount")
    if mock is None:
        if failures is not None:
            raise validation(
                "TestState does not support MapIterationFailureCount when a mock is not specified."
            )
        return None
    if not isinstance(state, Task | Map | Parallel):
        raise validation(
            f"State type '{state.type_name}' is not supported when a mock is specified"
        )
    if request.get("revealSecrets"):
        raise validation("TestState does not support RevealSecrets when a mock is specified.")
    has_result, error_output = "result" in mock, mock.get("errorOutput")
    if has_result == (error_output is not None):
        raise validation(
            "A test mock should have only one of the following fields: [result, errorOutput]."
        )
    if error_output is not None:
        if "error" not in error_output:
            raise validation(
                "mock.errorOutput.error is required when mock.errorOutput is specified"
            )
        return MockedResult(error=error_output["error"], cause=error_output.get("cause"))
    try:
        result = from_text(mock["result"])
    except ValueError:
        raise validation("Mocked result must be valid JSON") from None
    if isinstance(state, Map) and state.result_writer is not None:
        # A Map that writes its results answers the writer's description of them.
        if not isinstance(result, dict):
            raise validation("Mocked result must be a JSON object.")
    elif isinstance(state, Map | Parallel) and not isinstance(result, list):
        raise validation("Mocked result must be an array.")
    if isinstance(state, Parallel) and len(result) != len(state.branches):
        raise validation(
            "Mocked result must contain the same number of items as number of Parallel branches."
        )
    if failures is not None and isinstance(result, list) and failures > len(result):
        raise validation(
            "Map iteration failure count must be less than or equal to the number of Map iterations"
        )
    return MockedResult(result, map_failures=failures or 0)


def _json(text: str, field: str) -> Any:
    try:
        return from_text(text)
    except ValueError as error:
        raise ApiError("InvalidExecutionInput", f"Invalid {field}: {error}") from None


def _variables(request: Request) -> dict[str, Any]:
    if "variables" not in request:
        return {}
    variables = _json(request["variables"], "variables")
    if not isinstance(variables, dict):
        raise ApiError(
            "InvalidExecutionInput", "Invalid variables: a JSON object of variable names to values"
        )
    return variables


def _context(request: Request, state: State, mock: MockedResult | None) -> dict[str, Any] | None:
    """The Context object the request sets, checked as AWS checks it."""
    if "context" not in request:
        return None
    if mock is None:
        raise validation("TestState does not support Context when a mock is not specified.")
    value = _json(request["context"], "context")
    if not isinstance(value, dict):
        raise validation(f"{INVALID_CONTEXT}it must be a JSON object")
    for field, members in value.items():
        if field == "Map":
            raise validation(
                f"{INVALID_CONTEXT}'Map' field is not supported when mocking a Context object"
            )
        shape = CONTEXT_SHAPE.get(field)
        if shape is None:
            raise validation(f"{INVALID_CONTEXT}Field '{field}' is not allowed")
        if not isinstance(members, dict):
            raise validation(f"{INVALID_CONTEXT}{field} must be an object")
        for member, member_value in members.items():
            if member not in shape:
                raise validation(f"{INVALID_CONTEXT}Field '{member}' is not allowed")
            kind = shape[member]
            if kind is not None and not _is_a(member_value, kind):
                raise validation(f"{INVALID_CONTEXT}{field}.{member} must be {kind}")
    if "Task" in value and not (isinstance(state, Task) and _waits_for_token_or_job(state)):
        raise validation(
            f"{INVALID_CONTEXT}Context object contains 'Task' when state is not a Task state "
            "with a '.sync' or '.waitForTaskToken' service integration pattern"
        )
    return value


def _is_a(value: Any, kind: str) -> bool:
    if kind == INTEGER:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, str)


def _waits_for_token_or_job(state: Task) -> bool:
    """A `.sync`, `.sync:2` or `.waitForTaskToken` integration."""
    return parse_resource(state.resource).pattern is not None


def _waits(state: Task) -> bool:
    """An activity, or an integration that waits for a job or a task token."""
    return parse_resource(state.resource).kind == "activity" or _waits_for_token_or_job(state)


def _response(tested: StateTestOutcome, level: str) -> Response:
    response: Response = {"status": tested.status}
    if tested.has_output:
        response["output"] = to_text(tested.output)
    if tested.error is not None:
        response["error"] = tested.error
    if tested.cause is not None:
        response["cause"] = tested.cause
    if tested.next_state is not None:
        response["nextState"] = tested.next_state
    if level != "INFO":
        response["inspectionData"] = _inspection_data(tested)
    return response


_NUMBERS = frozenset({"maxConcurrency", "toleratedFailureCount", "toleratedFailurePercentage"})
"""inspectionData members that are numbers; the others are JSON text."""


def _inspection_data(tested: StateTestOutcome) -> dict[str, Any]:
    data: dict[str, Any] = {
        stage: value if stage in _NUMBERS else to_text(value)
        for stage, value in tested.stages.items()
    }
    if tested.variables:
        data["variables"] = to_text(dict(tested.variables))
    details = tested.error_details
    if details is not None:
        shown = {
            "catchIndex": details.catch_index,
            "retryIndex": details.retry_index,
            "retryBackoffIntervalSeconds": details.retry_backoff_interval_seconds,
        }
        data["errorDetails"] = {key: value for key, value in shown.items() if value is not None}
    return data


OPERATIONS = {"TestState": Operation(TEST_STATE_INPUT, run_test_state)}
