"""Task tokens answered from outside the scheduler: SendTask* and GetActivityTask long polls.

Why apart from the scheduler: these run on the API's request threads. An
answer is a message to the scheduler (committed in its next round, or
`TaskGone`); a GetActivityTask poll claims the oldest waiting activity task in
the store, or sleeps until the scheduler arms one (`ActivityPolls.notify`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from phalanx.engine.effects import CallbackResponse
from phalanx.errors import PhalanxError
from phalanx.store import Database
from phalanx.store import journal as journal_rows
from phalanx.store.records import TaskTokenRecord


class TaskGone(PhalanxError):
    """A task token's task is no longer waiting (answered, timed out, or its execution ended)."""


class ActivityPolls:
    """GetActivityTask long polls, woken when an activity task is armed or the server stops."""

    def __init__(
        self,
        db: Database,
        answer: Callable[[str, CallbackResponse], None],
        stopping: threading.Event,
    ) -> None:
        self.db = db
        self._answer = answer
        """Answers a task token (`Runtime.answer`): returns once committed, or raises `TaskGone`."""
        self._stopping = stopping
        self._closed = threading.Event()
        self.waiters = threading.Condition()
        """Notified when an activity task is waiting (GetActivityTask long polls)."""

    @property
    def closed(self) -> bool:
        """The server is stopping: long polls answer now."""
        return self._stopping.is_set() or self._closed.is_set()

    def close(self) -> None:
        """Let long polls answer at once (the server is draining its requests)."""
        self._closed.set()
        self.notify()

    def notify(self) -> None:
        """Wake the polls: a task may be waiting, or they should answer."""
        with self.waiters:
            self.waiters.notify_all()

    def take(self, activity_arn: str, worker: str | None, timeout: float) -> TaskTokenRecord | None:
        """Hand the oldest waiting task to `worker`, waiting up to `timeout`.

        None when no task came (or the server is stopping). The execution is
        told the task started (ActivityStarted, with the worker's name).
        """
        ends = time.monotonic() + timeout
        while True:
            with self.db.atomic() as connection:
                task = journal_rows.claim_activity_task(connection, activity_arn, worker)
            if task is not None:
                try:
                    self._answer(task.token, CallbackResponse(started=True, worker=worker))
                except TaskGone:
                    continue  # its execution ended meanwhile: look for another
                return task
            left = ends - time.monotonic()
            if left <= 0 or self.closed:
                return None
            with self.waiters:
                self.waiters.wait(min(left, 1.0))
