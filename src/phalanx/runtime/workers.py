"""The durable runtime's worker pool: Lambda and service calls, and task token requests.

Why apart from the scheduler: a call may take minutes; the scheduler thread
never waits for one. A call runs on a worker once its round is committed and
its answer comes back to the scheduler as a message; the scheduler counts
the calls out to know when nothing can happen before the next timer.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from phalanx.engine.effects import Callback, CallbackResponse, InvokeLambda, ServiceResponse
from phalanx.runtime.driver import ServiceHandler
from phalanx.runtime.live import Live
from phalanx.runtime.tokens import TaskGone

MAX_WORKERS = 32
"""Lambda and service calls running at once; more wait for a worker."""

_LOG = logging.getLogger("phalanx.runtime")

Send = Callable[[Callback], ServiceResponse | None]
"""Sends a `.waitForTaskToken` task's request (`Services.submit`)."""


class Workers:
    """Runs calls and sends off the scheduler thread; nothing runs once `stopping` is set."""

    def __init__(
        self,
        max_workers: int,
        tell: Callable[[tuple[Any, ...]], None],
        stopping: threading.Event,
    ) -> None:
        self._tell = tell
        self._stopping = stopping
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers, thread_name_prefix="phalanx-call"
        )
        self._calls_out = 0
        self._calls_lock = threading.Lock()

    @property
    def idle(self) -> bool:
        """No call is out: no answer can come back."""
        return self._calls_out == 0

    def call(self, live: Live, effect: Any, services: ServiceHandler) -> None:
        """Make the call `effect` of `live`; its answer comes back as an `answer` message."""
        if self._stopping.is_set():
            return  # left unanswered in the journal: the next start runs it
        with self._calls_lock:
            self._calls_out += 1
        invoker, arn = live.invoker, live.arn

        def run() -> None:
            try:
                if isinstance(effect, InvokeLambda):
                    value: Any = invoker.invoke(effect)
                else:
                    value = services(effect)
            except BaseException:  # the call's own failure is its answer; a crash is ours
                _LOG.exception("call of state %r failed in Phalanx", effect.state)
                raise
            self._tell(("answer", arn, effect.id, value))

        self._pool.submit(run)

    def answered(self) -> None:
        """The scheduler took a call's answer."""
        with self._calls_lock:
            self._calls_out -= 1

    def send(
        self,
        effect: Callback,
        send: Send | None,
        answer: Callable[[str, CallbackResponse], None],
    ) -> None:
        """Send a token's request on a worker; a failed send fails the task (as AWS does)."""
        if send is None or self._stopping.is_set():
            return

        def run() -> None:
            sent = send(effect)
            if sent is not None and sent.error is not None:
                with contextlib.suppress(TaskGone):  # answered or ended meanwhile
                    answer(effect.token, CallbackResponse(error=sent.error, cause=sent.cause))

        self._pool.submit(run)

    def shutdown(self) -> None:
        """Stop taking work; calls still running are dropped (their answers are never taken)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
