from __future__ import annotations

import pytest

from phalanx.asl import Retrier
from phalanx.engine import retry


@pytest.mark.parametrize(
    ("error_equals", "error", "expected"),
    [
        pytest.param(["States.ALL"], "Boom", True, id="all-matches-user-error"),
        pytest.param(["States.ALL"], "States.Timeout", True, id="all-matches-timeout"),
        pytest.param(["States.ALL"], "States.Runtime", False, id="all-skips-runtime"),
        pytest.param(["States.Runtime"], "States.Runtime", False, id="runtime-never-caught"),
        pytest.param(["States.TaskFailed"], "Boom", True, id="taskfailed-matches-user-error"),
        pytest.param(["States.TaskFailed"], "States.Timeout", False, id="taskfailed-skips-timeout"),
        pytest.param(["A", "B"], "B", True, id="named-error"),
        pytest.param(["A"], "B", False, id="other-error"),
        pytest.param(
            ["States.DataLimitExceeded"], "States.DataLimitExceeded", True, id="data-limit-named"
        ),
    ],
)
def test_error_equals_matching(error_equals: list[str], error: str, expected: bool) -> None:
    assert retry.matches(error_equals, error) is expected


@pytest.mark.parametrize(
    ("retrier", "attempt", "fraction", "expected"),
    [
        pytest.param(Retrier(("X",)), 0, None, 1.0, id="defaults-first"),
        pytest.param(Retrier(("X",)), 2, None, 4.0, id="defaults-backoff-2"),
        pytest.param(
            Retrier(("X",), interval_seconds=3, backoff_rate=2, max_delay_seconds=5),
            1,
            None,
            5.0,
            id="capped-by-max-delay",
        ),
        pytest.param(
            Retrier(("X",), interval_seconds=4, jitter_strategy="FULL"),
            0,
            0.5,
            2.0,
            id="full-jitter",
        ),
        pytest.param(
            Retrier(("X",), interval_seconds=4, jitter_strategy="NONE"), 0, 0.5, 4.0, id="no-jitter"
        ),
    ],
)
def test_retry_delay(
    retrier: Retrier, attempt: int, fraction: float | None, expected: float
) -> None:
    assert retry.delay_seconds(retrier, attempt, fraction) == expected


def test_max_attempts_zero_means_never_retry() -> None:
    assert retry.max_attempts(Retrier(("X",), max_attempts=0)) == 0
