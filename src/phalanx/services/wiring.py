"""How `phalanx.run()` puts the integrations together for one execution.

One `Services` handler answers the execution's service calls; its
`.waitForTaskToken` requests are sent by a `SubmitThenWait` before the run
waits for the token; children run in this process through `LocalChildren`,
each a `run()` of its own sharing the clock, the connection and the task
tokens (so a child's `sfn:sendTaskSuccess` answers its parent).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from phalanx.asl import StateMachine
from phalanx.engine.effects import Callback, CallbackResponse, CallService, ServiceResponse
from phalanx.runtime.clock import Clock
from phalanx.runtime.driver import unanswered_callback
from phalanx.services.callbacks import SubmitThenWait, TaskTokens
from phalanx.services.calls import CallRecord, Services, no_service
from phalanx.services.children import LocalChildren
from phalanx.services.clients import Connection
from phalanx.services.http import HttpTask
from phalanx.services.nested import ChildStart


@dataclasses.dataclass(frozen=True, slots=True)
class Options:
    """What a run (and each of its children) calls services with."""

    connection: Connection | None
    clock: Clock
    machines: dict[str, StateMachine]
    http: bool
    on_call: Callable[[CallRecord], None] | None
    tokens: TaskTokens | None
    fallback: Callable[[CallService], ServiceResponse] | None = None
    callbacks: Callable[[Callback], CallbackResponse | None] | None = None


def _labelled(options: Options, machine: StateMachine) -> Callable[[CallRecord], None] | None:
    """A child's calls are shown under its machine: `BookCar/putCar`."""
    on_call = options.on_call
    if on_call is None:
        return None
    return lambda call: on_call(dataclasses.replace(call, state=f"{machine.name}/{call.state}"))


def integrations(
    options: Options,
    run_child: Callable[[StateMachine, ChildStart, Options], Any],
    region: str,
    account: str,
) -> tuple[Services, SubmitThenWait, LocalChildren]:
    """The service handler, the callbacks handler and the children of one execution."""
    tokens = options.tokens
    if tokens is None:
        tokens = options.callbacks if isinstance(options.callbacks, TaskTokens) else TaskTokens()
    shared = dataclasses.replace(options, tokens=tokens)
    children = LocalChildren(
        options.machines,
        lambda machine, request: run_child(
            machine, request, dataclasses.replace(shared, on_call=_labelled(shared, machine))
        ),
        region,
        account,
    )
    services = Services(
        options.connection,
        options.clock,
        children=children,
        tokens=tokens,
        http=HttpTask() if options.http else None,
        fallback=options.fallback or no_service,
        on_call=options.on_call,
    )
    callbacks = SubmitThenWait(services.submit, options.callbacks or unanswered_callback, tokens)
    return services, callbacks, children
