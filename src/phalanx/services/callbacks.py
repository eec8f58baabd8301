"""Task tokens: send the request that carries the token, then wait for SendTask*.

A `.waitForTaskToken` task hands its request (an SQS message, an SNS
notification, a child execution, a Lambda invocation) to the service with
the token inside, then waits until someone calls SendTaskSuccess,
SendTaskFailure or SendTaskHeartbeat with it. Locally that someone is:

* a test or a worker in this process, through a `TaskTokens` registry
  (`tokens.send_task_success(token, output)`; give it to `run(callbacks=tokens)`
  and the run waits for the answer);
* a child machine of this run whose task is `aws-sdk:sfn:sendTaskSuccess`
  (answered here, never sent to AWS, because the token is this run's);
* any `callbacks=` function, called after the request was sent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from phalanx.engine.effects import Callback, CallbackResponse, ServiceResponse

Submit = Callable[[Callback], ServiceResponse | None]
"""Sends a callback task's request; None when there is nothing to send it with."""


class TaskTokens:
    """Answers to task tokens, from any thread: SendTaskSuccess/Failure/Heartbeat in-process.

        tokens = TaskTokens()
        thread = threading.Thread(target=lambda: run(machine, data, aws=session, callbacks=tokens))
        ...   # read the token from the queue, then:
        tokens.send_task_success(token, {"approved": True})

    Called as a callbacks handler it waits for the token's answer (at most
    `patience` real seconds, then None: nobody answered, the task's own
    timeouts apply).
    """

    def __init__(self, patience: float | None = None) -> None:
        self.patience = patience
        self._answers: dict[str, list[CallbackResponse]] = {}
        self._issued: list[str] = []
        self._changed = threading.Condition()

    def expect(self, token: str) -> None:
        """Note a token this run handed out (only these are answered here)."""
        with self._changed:
            if token not in self._issued:
                self._issued.append(token)
                self._answers.setdefault(token, [])

    def issued(self) -> list[str]:
        """The tokens handed out so far, oldest first."""
        with self._changed:
            return list(self._issued)

    def knows(self, token: str) -> bool:
        with self._changed:
            return token in self._answers

    def _post(self, token: str, answer: CallbackResponse) -> None:
        with self._changed:
            self._answers.setdefault(token, []).append(answer)
            self._changed.notify_all()

    def send_task_success(self, token: str, output: Any) -> None:
        self._post(token, CallbackResponse(output=output))

    def send_task_failure(
        self, token: str, error: str | None = None, cause: str | None = None
    ) -> None:
        self._post(token, CallbackResponse(error=error or "", cause=cause))

    def send_task_heartbeat(self, token: str) -> None:
        self._post(token, CallbackResponse(heartbeat=True))

    def take(self, token: str, timeout: float | None = 0.0) -> CallbackResponse | None:
        """The token's next answer; waits up to `timeout` seconds (None: until one comes)."""
        with self._changed:
            self._changed.wait_for(lambda: bool(self._answers.get(token)), timeout=timeout)
            waiting = self._answers.get(token)
            return waiting.pop(0) if waiting else None

    def __call__(self, request: Callback) -> CallbackResponse | None:
        self.expect(request.token)
        return self.take(request.token, self.patience)


class SubmitThenWait:
    """A callbacks handler: send the task's request once per token, then wait for the answer.

    A heartbeat makes the engine ask again for the same token: the request
    is not sent twice. A failed send fails the task with the service's error.
    """

    def __init__(
        self,
        submit: Submit,
        then: Callable[[Callback], CallbackResponse | None],
        tokens: TaskTokens,
    ) -> None:
        self.submit = submit
        self.then = then
        self.tokens = tokens
        self._sent: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, request: Callback) -> CallbackResponse | None:
        if request.activity is None:
            with self._lock:
                first = request.token not in self._sent
                self._sent.add(request.token)
            if first:
                self.tokens.expect(request.token)
                sent = self.submit(request)
                if sent is not None and sent.error is not None:
                    return CallbackResponse(error=sent.error, cause=sent.cause)
            answered = self.tokens.take(request.token)
            if answered is not None:
                return answered
        return self.then(request)
