"""Retry and Catch: which entry handles an error, and how long to back off.

Rules (AWS "Handling errors in Step Functions workflows"):

* the first Retrier (then Catcher) whose `ErrorEquals` names the error wins;
* `States.ALL` matches any error except `States.Runtime`, which nothing
  catches (the docs also exclude `States.DataLimitExceeded`, but the recorded
  executions show it caught);
* `States.TaskFailed` matches any error except `States.Timeout` (and the two
  terminal ones);
* a Retrier retries `MaxAttempts` times (default 3, 0 = never) with delay
  `IntervalSeconds * BackoffRate ** attempt` (defaults 1 s and 2.0), capped by
  `MaxDelaySeconds`; `JitterStrategy: FULL` draws the delay uniformly below it.
  Once a matching Retrier is spent the error goes to the Catchers.
"""

from __future__ import annotations

from collections.abc import Sequence

from phalanx.asl import Catcher, Retrier

# The docs say States.ALL does not catch States.DataLimitExceeded, but AWS does
# catch a Lambda result over the limit with States.ALL (corpus
# error_handling/test_task_lambda_catch_state_all_data_limit_exceeded...).

DEFAULT_INTERVAL_SECONDS = 1.0
DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_BACKOFF_RATE = 2.0


def matches(error_equals: Sequence[str], error: str) -> bool:
    """Does an `ErrorEquals` list cover `error`?

    `States.Runtime` is never caught nor retried, even when named (corpus
    `scenarios/test_catch_states_runtime`).
    """
    if error == "States.Runtime":
        return False
    if error in error_equals:
        return True
    if "States.ALL" in error_equals:
        return True
    return "States.TaskFailed" in error_equals and error != "States.Timeout"


def find_retrier(retriers: Sequence[Retrier] | None, error: str) -> int | None:
    """Index of the first Retrier covering `error`, if any."""
    for index, retrier in enumerate(retriers or ()):
        if matches(retrier.error_equals, error):
            return index
    return None


def find_catcher(catchers: Sequence[Catcher] | None, error: str) -> Catcher | None:
    """The first Catcher covering `error`, if any."""
    for catcher in catchers or ():
        if matches(catcher.error_equals, error):
            return catcher
    return None


def _number(value: object, default: float) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return default


def max_attempts(retrier: Retrier) -> int:
    return int(_number(retrier.max_attempts, DEFAULT_MAX_ATTEMPTS))


def delay_seconds(retrier: Retrier, attempt: int, random_fraction: float | None = None) -> float:
    """Seconds to wait before retry number `attempt + 1` (`attempt` counts from 0).

    `random_fraction` in [0, 1) is used for `JitterStrategy: FULL`.
    """
    interval = _number(retrier.interval_seconds, DEFAULT_INTERVAL_SECONDS)
    backoff = _number(retrier.backoff_rate, DEFAULT_BACKOFF_RATE)
    delay = interval * backoff**attempt
    if retrier.max_delay_seconds is not None:
        delay = min(delay, _number(retrier.max_delay_seconds, delay))
    if retrier.jitter_strategy == "FULL" and random_fraction is not None:
        delay = delay * random_fraction
    return delay
