"""`phalanx execute`: start the deployed machine and follow its history live."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any

from phalanx.deploy import stack
from phalanx.deploy.aws import Connection, aws_errors, import_boto3
from phalanx.deploy.errors import DeployError
from phalanx.deploy.progress import StepLog
from phalanx.deploy.template import logical_id


@dataclasses.dataclass(frozen=True, slots=True)
class Execution:
    """How an execution went, as far as it was followed."""

    arn: str
    status: str
    path: tuple[str, ...]  # states entered, in order
    output: str | None
    error: str | None = None
    cause: str | None = None


def machine_arn(conn: Connection, stack_name: str, machine: str | None) -> str:
    """The ARN of state machine `machine` (a name from the file) in the stack."""
    machines = {
        str(r["LogicalResourceId"]): str(r["PhysicalResourceId"])
        for r in stack.resources(conn, stack_name)
        if r.get("ResourceType") == "AWS::StepFunctions::StateMachine"
    }
    if machine is not None:
        wanted = logical_id(machine, "StateMachine")
        if wanted in machines:
            return machines[wanted]
        if machine in machines:
            return machines[machine]
        raise DeployError(f"stack {stack_name} has no state machine {machine} ({_known(machines)})")
    if len(machines) == 1:
        return next(iter(machines.values()))
    if not machines:
        raise DeployError(f"stack {stack_name} has no state machine")
    raise DeployError(f"stack {stack_name} has several state machines; choose one with --machine")


def _known(machines: Mapping[str, str]) -> str:
    return "found: " + (", ".join(machines) or "none")


def execute(
    conn: Connection,
    arn: str,
    payload: str,
    log: StepLog,
    *,
    name: str | None = None,
) -> Execution:
    """StartExecution, then print history events until the execution ends or time runs out."""
    sfn = conn.client("stepfunctions")
    kwargs: dict[str, Any] = {"stateMachineArn": arn, "input": payload}
    if name:
        kwargs["name"] = name
    with aws_errors():
        started = sfn.start_execution(**kwargs)
    execution_arn = str(started["executionArn"])
    log.step("started", execution_arn)
    pace = conn.pace
    deadline = pace.clock() + pace.timeout
    seen: set[int] = set()
    path: list[str] = []
    while True:
        with aws_errors():
            for event in _history(sfn, execution_arn):
                if int(event["id"]) in seen:
                    continue
                seen.add(int(event["id"]))
                entered = event.get("stateEnteredEventDetails")
                if entered:
                    path.append(str(entered.get("name")))
                log.detail(render_event(event))
            described = sfn.describe_execution(executionArn=execution_arn)
        status = str(described["status"])
        if status != "RUNNING" or pace.clock() > deadline:
            break
        pace.sleep(pace.interval)
    if status == "RUNNING":
        log.step("running", f"still RUNNING after {pace.timeout:.0f}s; see phalanx status")
    else:
        log.step(status.lower(), f"path: {' -> '.join(path) or '(no states entered)'}")
    output = described.get("output")
    if output is not None:
        log.detail(f"output: {output}")
    error = described.get("error")
    if error:
        log.detail(f"error: {error}: {described.get('cause', '')}")
    return Execution(
        execution_arn, status, tuple(path), output, error, described.get("cause") or None
    )


def _history(sfn: Any, execution_arn: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        kwargs: dict[str, Any] = {"executionArn": execution_arn, "maxResults": 1000}
        if token:
            kwargs["nextToken"] = token
        page = sfn.get_execution_history(**kwargs)
        events += [dict(e) for e in page.get("events", [])]
        token = page.get("nextToken")
        if not token:
            return events


def recorded_execution(
    endpoint_url: str | None, execution_arn: str
) -> tuple[str, str, list[dict[str, Any]]]:
    """An execution's machine name, definition and history events, asked of the API.

    The region is the ARN's. Without credentials in boto3's chain, any are
    sent: `phalanx serve` does not check them (AWS refuses them, as it should).
    """
    boto3 = import_boto3()
    parts = execution_arn.split(":")
    with aws_errors():
        session = boto3.session.Session(region_name=parts[3] if len(parts) > 3 else None)
        local = {"aws_access_key_id": "local", "aws_secret_access_key": "local"}
        if session.get_credentials() is not None:
            local = {}
        sfn = session.client("stepfunctions", endpoint_url=endpoint_url, **local)
        machine = sfn.describe_state_machine_for_execution(executionArn=execution_arn)
        events = _history(sfn, execution_arn)
    return machine["name"], machine["definition"], events


def render_event(event: Mapping[str, Any]) -> str:
    """`#3 TaskStateEntered lambdaRollDie`, with the error or output when there is one."""
    text = f"#{event.get('id')} {event.get('type')}"
    for key, value in event.items():
        if not key.endswith("EventDetails") or not isinstance(value, Mapping):
            continue
        if "name" in value:
            text += f" {value['name']}"
        if "error" in value:
            text += f"  {value['error']}: {_short(value.get('cause'))}"
        elif "output" in value and key.startswith("execution"):
            text += f"  output {_short(value['output'])}"
    return text


def _short(value: Any, limit: int = 120) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
