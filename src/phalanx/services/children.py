"""Child executions run in this process: `phalanx.run()`'s `StartChild`.

A child is an execution of its own (its name, its `$$.Execution.Id`, its
history), run to its end on the parent's clock with the parent's functions
and services; every child started is kept, in order, so the parent's
`Execution.children` lists them.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Mapping
from typing import Any

from phalanx.asl import StateMachine
from phalanx.engine.history import to_text
from phalanx.services.nested import ChildExecution, ChildStart, machine_name

RunChild = Callable[[StateMachine, ChildStart], Any]
"""Runs a child machine on a request; returns a `phalanx.runtime.local.Execution`."""


class LocalChildren:
    """Runs the children whose `StateMachineArn` names one of `machines` (by name)."""

    def __init__(
        self,
        machines: Mapping[str, StateMachine],
        run_child: RunChild,
        region: str,
        account: str,
    ) -> None:
        self.machines = dict(machines)
        self.run_child = run_child
        self.region = region
        self.account = account
        self.executions: list[Any] = []
        self._lock = threading.Lock()

    def knows(self, state_machine_arn: str) -> bool:
        return machine_name(state_machine_arn) in self.machines

    def start(self, request: ChildStart, *, wait: bool) -> ChildExecution:
        name = machine_name(request.state_machine_arn)
        machine = dataclasses.replace(self.machines[name], name=name)
        execution = self.run_child(machine, request)
        with self._lock:
            self.executions.append(execution)
        history = execution.history
        base = f"arn:aws:states:{self.region}:{self.account}"
        return ChildExecution(
            execution_arn=f"{base}:execution:{name}:{execution.name}",
            state_machine_arn=f"{base}:stateMachine:{name}",
            name=execution.name,
            status=execution.status,
            start_date=float(history[0]["timestamp"]) if history else 0.0,
            stop_date=float(history[-1]["timestamp"]) if history else None,
            input=to_text(request.input),
            output=to_text(execution.output) if execution.status == "SUCCEEDED" else None,
            error=execution.error,
            cause=execution.cause,
        )
