"""Child executions the durable runtime starts in the store, and the `.sync` tasks waiting on them.

Why apart from the scheduler: the runtime knows nothing of how a child is
started or how its result is shaped (the server hands in a `Children`,
`phalanx.services.server_children`); it only keeps which parent task waits on
which child, so that the child's committed end answers the parent, and a
parent that stops waiting (it ended, or cancelled the task) can stop its child.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from phalanx.asl.resources import parse_resource
from phalanx.engine.effects import Callback, CallbackResponse, CallService, ServiceResponse
from phalanx.errors import ChildRefused
from phalanx.runtime.live import Live
from phalanx.store.records import ExecutionRecord


class Children(Protocol):
    """Starts nested machines' children as executions of the server.

    The API server hands one in (`phalanx.services.server_children`), so the
    runtime knows nothing of how a child's result is shaped.
    """

    def for_parent(self, parent_arn: str) -> Children: ...

    def request(self, effect: Any, parent_arn: str) -> Any: ...

    def start(self, request: Any, *, wait: bool) -> Any: ...

    def answer(self, child: Any, pattern: str) -> ServiceResponse: ...

    def answer_ended(self, record: ExecutionRecord, pattern: str) -> ServiceResponse: ...

    def ended(self) -> None: ...


class ChildWaits:
    """Starts `states:startExecution*` children and keeps which `.sync` task waits on which."""

    def __init__(self, children: Children | None) -> None:
        self.children = children
        """Starts children in the store (none: `states:startExecution*` tasks are calls)."""
        self._parents: dict[str, list[tuple[str, str, str]]] = {}
        """child execution ARN -> (parent ARN, effect id, pattern) of `.sync` tasks waiting."""

    def start(self, live: Live, effect: Any) -> bool:
        """Start the child `effect` names, if the server knows its machine (`Children.request`).

        A `.sync` parent waits like on a token: answered by `ended`.
        """
        if self.children is None or not isinstance(effect, (CallService, Callback)):
            return False
        children = self.children.for_parent(live.arn)
        request = children.request(effect, live.arn)
        if request is None:
            return False
        pattern = "" if isinstance(effect, Callback) else parse_resource(effect.resource).pattern
        if isinstance(request, ServiceResponse):
            _answer(live, effect, request)
            return True
        try:
            child = children.start(request, wait=False)
        except ChildRefused as refused:
            error = f"StepFunctions.{refused.code}Exception"
            _answer(live, effect, ServiceResponse(error=error, cause=refused.message))
            return True
        if pattern.startswith(".sync") and child.status == "RUNNING":
            self._parents.setdefault(child.execution_arn, []).append((live.arn, effect.id, pattern))
            live.in_flight.add(effect.id)  # stays in memory until the child ends
        else:
            _answer(live, effect, children.answer(child, pattern))
        return True

    def is_server_child(self, live: Live, effect: Any) -> bool:
        """A child started in the store: asked again, it is found, not run again."""
        if self.children is None or not isinstance(effect, CallService):
            return False
        return self.children.for_parent(live.arn).request(effect, live.arn) is not None

    def ended(self, record: ExecutionRecord, tell: Callable[[tuple[Any, ...]], None]) -> None:
        """`record`'s end is committed: `tell` the scheduler the answers of the parents waiting."""
        for parent, effect_id, pattern in self._parents.pop(record.arn, []):
            assert self.children is not None
            answer = self.children.answer_ended(record, pattern)
            tell(("child", parent, effect_id, answer))
        if self.children is not None:
            self.children.ended()

    def release(self, parent: str, effect_ids: set[str] | None) -> list[str]:
        """Forget the `.sync` waits of `parent` (those of `effect_ids`, or all of them).

        Returns the children no task waits on any more: the caller stops them.
        """
        stopped = []
        for child, waits in list(self._parents.items()):
            left = [
                wait
                for wait in waits
                if wait[0] != parent or (effect_ids is not None and wait[1] not in effect_ids)
            ]
            if len(left) == len(waits):
                continue
            if left:
                self._parents[child] = left
            else:
                del self._parents[child]
                stopped.append(child)
        return stopped


def _answer(live: Live, effect: Any, response: ServiceResponse) -> None:
    if isinstance(effect, CallService):
        live.deliver(effect.id, response)
    elif response.error is not None:  # a token's child that could not start
        live.deliver(effect.id, CallbackResponse(error=response.error, cause=response.cause))
