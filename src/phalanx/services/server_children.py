"""Child executions in the server: the `StartChild` the durable runtime is given.

A `states:startExecution*` task naming a machine the server knows starts a
real execution in the store (listed, with its own history), started as
StartExecution starts one. A parent on `.sync`/`.sync:2` does not hold a
thread: the runtime notes which task waits on which child and answers it
when the child's end is committed (`ChildWaits.ended` in `runtime/children.py`),
with the shapes of `phalanx.services.nested` (`answer`, `answer_ended`). The
API server builds it and hands it to the runtime, which never imports
`services`.

Restarts: a child started without a `Name` gets one derived from the parent
and its task (`child_name`), so a parent that asks again after a crash
finds the child it started, running or ended, instead of starting another.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

from phalanx.asl.resources import parse_resource
from phalanx.engine.effects import Callback, CallService, ServiceResponse
from phalanx.engine.history import to_text
from phalanx.errors import ChildRefused
from phalanx.services.nested import (
    ChildExecution,
    ChildStart,
    child_request,
    machine_name,
    result,
)
from phalanx.store import Database
from phalanx.store import executions as execution_rows
from phalanx.store import machines as machine_rows
from phalanx.store.records import ExecutionRecord

StartExecution = Callable[[str, dict[str, Any]], str]
"""(region, a StartExecution request) -> the execution's ARN; raises `ChildRefused`."""


def child_name(parent_arn: str, effect_id: str) -> str:
    """The name of a child started without one: the same each time the parent asks."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{parent_arn}#{effect_id}"))


def is_child_call(effect: Any) -> bool:
    """`effect` is a `states:startExecution*` task (its machine may or may not be known)."""
    if not isinstance(effect, (CallService, Callback)) or getattr(effect, "activity", None):
        return False
    resource = parse_resource(effect.resource)
    return (resource.service, resource.action) == ("states", "startExecution")


def described(record: ExecutionRecord) -> ChildExecution:
    """A stored execution as DescribeExecution reports it."""
    return ChildExecution(
        execution_arn=record.arn,
        state_machine_arn=record.machine_arn,
        name=record.name,
        status=record.status,
        start_date=record.started_at,
        stop_date=record.stopped_at,
        input=record.input,
        output=record.output,
        error=record.error,
        cause=record.cause,
    )


class ServerChildren:
    """Starts children as executions of the server (module docstring).

    `region` and `account` are those of the executions asking (a machine is
    known by its name in them, whatever region and account its ARN names).
    """

    def __init__(
        self,
        db: Database,
        start_execution: StartExecution,
        region: str,
        account: str,
        ended: threading.Condition | None = None,
    ) -> None:
        self.db = db
        self.start_execution = start_execution
        self.region = region
        self.account = account
        self._ended = ended or threading.Condition()

    def for_parent(self, parent_arn: str) -> ServerChildren:
        """The children of an execution: in its region and account."""
        parts = parent_arn.split(":")
        return ServerChildren(self.db, self.start_execution, parts[3], parts[4], self._ended)

    def _local_arn(self, state_machine_arn: str) -> str:
        parts = state_machine_arn.split(":")
        qualifier = ":" + ":".join(parts[7:]) if len(parts) > 7 else ""
        name = machine_name(state_machine_arn)
        return f"arn:aws:states:{self.region}:{self.account}:stateMachine:{name}{qualifier}"

    def knows(self, state_machine_arn: str) -> bool:
        base = self._local_arn(state_machine_arn).split(":")[:7]
        with self.db.atomic(write=False) as connection:
            return machine_rows.get(connection, ":".join(base)) is not None

    def request(
        self, effect: CallService | Callback, parent_arn: str
    ) -> ChildStart | ServiceResponse | None:
        """The child `effect` starts (a failure `ServiceResponse` if malformed); None: not ours."""
        parameters = effect.parameters
        if not (
            is_child_call(effect)
            and isinstance(parameters, dict)
            and isinstance(parameters.get("StateMachineArn"), str)
            and self.knows(parameters["StateMachineArn"])
        ):
            return None
        start = child_request(parameters)
        if isinstance(start, ChildStart) and not parameters.get("Name"):
            start = ChildStart(
                start.state_machine_arn,
                start.input,
                child_name(parent_arn, effect.id),
                start.started_by,
            )
        return start

    def start(self, request: ChildStart, *, wait: bool) -> ChildExecution:
        """Start the child, or find the one started before with this name and input.

        With `wait`, block until it ends (only Express parents, which run on
        a thread of their own, ask this; the durable runtime never blocks).
        Raises `ChildRefused` when StartExecution refuses it.
        """
        arn = self._execution_arn(request)
        text = to_text(request.input)
        with self.db.atomic(write=False) as connection:
            existing = execution_rows.get(connection, arn)
        if existing is not None and existing.input != text:
            raise ChildRefused("ExecutionAlreadyExists", f"Execution Already Exists: '{arn}'")
        if existing is None:
            arn = self.start_execution(
                self.region,
                {
                    "stateMachineArn": self._local_arn(request.state_machine_arn),
                    "name": request.name,
                    "input": text,
                },
            )
        while True:
            with self.db.atomic(write=False) as connection:
                record = execution_rows.get(connection, arn)
            if record is None:  # an Express child: it runs in memory, not in the store
                machine = self._local_arn(request.state_machine_arn)
                return ChildExecution(arn, machine, request.name, "RUNNING", 0.0, input=text)
            if not wait or record.status != "RUNNING":
                return described(record)
            with self._ended:
                self._ended.wait(1.0)

    def answer(self, child: ChildExecution, pattern: str) -> ServiceResponse:
        """The parent's task result for `child`, in AWS's shape for `pattern` (`.sync`, ...)."""
        return result(child, pattern, {})

    def answer_ended(self, record: ExecutionRecord, pattern: str) -> ServiceResponse:
        """The parent's task result once the stored child `record` has ended."""
        return result(described(record), pattern, {})

    def ended(self) -> None:
        """Some execution's end was committed: wake Express parents waiting on children."""
        with self._ended:
            self._ended.notify_all()

    def _execution_arn(self, request: ChildStart) -> str:
        name = machine_name(request.state_machine_arn)
        return f"arn:aws:states:{self.region}:{self.account}:execution:{name}:{request.name}"
