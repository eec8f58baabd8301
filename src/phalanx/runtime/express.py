"""Express executions: in memory, at most once, as AWS runs them.

AWS keeps no history for Express workflows and does not resume them: an
Express execution lives only in the process that runs it. Here it runs on
the calling thread (StartSyncExecution answers when it ends) or on a daemon
thread (StartExecution), with the same engine and calls as Standard ones;
`phalanx serve` stopping or crashing loses it, as AWS documents
(at-most-once).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from phalanx.asl import StateMachine
from phalanx.engine.effects import Outcome
from phalanx.engine.history import from_text
from phalanx.engine.interpreter import ExecutionInfo, Interpreter
from phalanx.runtime.clock import Clock
from phalanx.runtime.driver import ServiceHandler, drive, unanswered_callback
from phalanx.runtime.lambdas import Invoker
from phalanx.runtime.mocks import StateMocks


@dataclass(frozen=True, slots=True)
class ExpressRun:
    """One Express execution to run: what StartExecution or StartSyncExecution was given."""

    definition: str
    machine_name: str
    name: str
    input: str
    role_arn: str
    region: str
    account: str

    def info(self) -> ExecutionInfo:
        return ExecutionInfo(
            name=self.name,
            state_machine_name=self.machine_name,
            role_arn=self.role_arn,
            region=self.region,
            account=self.account,
            machine_type="EXPRESS",
        )

    @property
    def arn(self) -> str:
        """`arn:aws:states:<region>:<account>:express:<machine>:<name>:<id>`."""
        return self.info().execution_arn


def run_express(
    run: ExpressRun,
    clock: Clock,
    invoker: Invoker,
    services: ServiceHandler,
    mocks: StateMocks | None = None,
) -> Outcome:
    """Run it to its end on this thread."""
    machine = StateMachine.from_asl(run.definition)
    interpreter = Interpreter(machine, from_text(run.input), run.info(), input_text=run.input)
    return drive(interpreter, clock, invoker, services, mocks=mocks, callbacks=unanswered_callback)


def start_express(
    run: ExpressRun,
    clock: Clock,
    invoker: Invoker,
    services: ServiceHandler,
    mocks: StateMocks | None = None,
) -> None:
    """Run it on a daemon thread (StartExecution of an Express machine answers at once)."""
    thread = threading.Thread(
        target=run_express,
        args=(run, clock, invoker, services, mocks),
        name=f"phalanx-express-{run.name}",
        daemon=True,
    )
    thread.start()
