"""Phalanx's own warnings: definitions AWS accepts that likely hold a mistake.

Each has its own code (documented in docs/validate.md) and can be silenced
with `validate(..., ignore={"PHALANX_..."})` or `phalanx validate --ignore CODE`.

- `PHALANX_CHOICE_NO_DEFAULT`: a Choice with no `Default`; when no rule
  matches, the execution fails with `States.NoChoiceMatched`.
- `PHALANX_LAMBDA_NO_RETRY`: a Lambda task with no retrier for Lambda's
  transient service errors, which AWS recommends always retrying
  ("Handle transient Lambda service exceptions").
- `PHALANX_EXPRESS_LONG_WAIT`: a Wait longer than five minutes in an Express
  machine, which cannot run longer than five minutes.
- `PHALANX_CALLBACK_NO_TIMEOUT`: a task that waits for a task token
  (`.waitForTaskToken`) or an activity worker with neither a timeout nor a
  heartbeat: if the token never comes back, the execution hangs until the
  machine's own limit (a year for a Standard machine). AWS's best practices:
  "Use timeouts to avoid stuck executions".
- `PHALANX_UNKNOWN_STATES_ERROR`: an `ErrorEquals` name in the reserved
  `States.` namespace that AWS never raises, so the retrier or catcher never
  matches (usually a typo such as `States.Timeout` spelt `States.TimeOut`).
"""

from __future__ import annotations

from phalanx.asl.resources import CALLBACK, ResourceKind, parse_resource
from phalanx.validation.diagnostics import Report, join, quote
from phalanx.validation.schema import is_int
from phalanx.validation.scopes import Machine, StateSite

CHOICE_NO_DEFAULT = "PHALANX_CHOICE_NO_DEFAULT"
LAMBDA_NO_RETRY = "PHALANX_LAMBDA_NO_RETRY"
EXPRESS_LONG_WAIT = "PHALANX_EXPRESS_LONG_WAIT"
UNKNOWN_STATES_ERROR = "PHALANX_UNKNOWN_STATES_ERROR"
CALLBACK_NO_TIMEOUT = "PHALANX_CALLBACK_NO_TIMEOUT"

CODES = (
    CHOICE_NO_DEFAULT,
    LAMBDA_NO_RETRY,
    EXPRESS_LONG_WAIT,
    CALLBACK_NO_TIMEOUT,
    UNKNOWN_STATES_ERROR,
)
_TIMEOUTS = ("TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath")

EXPRESS_MAX_SECONDS = 300

# Errors the Lambda service raises for transient conditions (developer guide,
# "Handling errors in Step Functions workflows", Lambda best practices).
_LAMBDA_TRANSIENT = frozenset(
    {
        "Lambda.ServiceException",
        "Lambda.AWSLambdaException",
        "Lambda.SdkClientException",
        "Lambda.TooManyRequestsException",
    }
)
_COVERS_LAMBDA = _LAMBDA_TRANSIENT | {"States.ALL", "States.TaskFailed"}

STATES_ERRORS = frozenset(
    {
        "States.ALL",
        "States.DataLimitExceeded",
        "States.ExceedToleratedFailureThreshold",
        "States.HeartbeatTimeout",
        "States.Http.Socket",
        "States.IntrinsicFailure",
        "States.ItemReaderFailed",
        "States.NoChoiceMatched",
        "States.ParameterPathFailure",
        "States.Permissions",
        "States.QueryEvaluationError",
        "States.ResultPathMatchFailure",
        "States.ResultWriterFailed",
        "States.Runtime",
        "States.TaskFailed",
        "States.Timeout",
        "States.BranchFailed",
    }
)


def check(machine: Machine, report: Report) -> None:
    # A Fail state may raise any name, `States.` ones included, for a catcher around it.
    raised = {
        s.body["Error"]
        for s in machine.states
        if s.type == "Fail" and isinstance(s.body.get("Error"), str)
    }
    for site in machine.states:
        kind = site.type
        if kind == "Choice" and "Default" not in site.body:
            report.warning(
                CHOICE_NO_DEFAULT,
                site.pointer,
                f'State "{site.name}": Choice has no Default; if no rule matches, the '
                "execution fails with States.NoChoiceMatched",
            )
        if kind == "Task" and _is_lambda(site.body.get("Resource")) and not _retries_lambda(site):
            report.warning(
                LAMBDA_NO_RETRY,
                site.pointer,
                f'State "{site.name}": Lambda task has no Retry for transient Lambda errors '
                "(Lambda.ServiceException, Lambda.AWSLambdaException, "
                "Lambda.SdkClientException, Lambda.TooManyRequestsException)",
            )
        waits = kind == "Task" and _waits_for_a_token(site.body.get("Resource"))
        if waits and not any(key in site.body for key in _TIMEOUTS):
            report.warning(
                CALLBACK_NO_TIMEOUT,
                site.pointer,
                f'State "{site.name}": waits for a task token with no TimeoutSeconds or '
                "HeartbeatSeconds; if the token never comes back the execution hangs",
            )
        if kind == "Wait" and machine.options.machine_type == "EXPRESS":
            seconds = site.body.get("Seconds")
            if is_int(seconds) and seconds > EXPRESS_MAX_SECONDS:  # type: ignore[operator]
                report.warning(
                    EXPRESS_LONG_WAIT,
                    site.at("Seconds"),
                    f'State "{site.name}": waits {seconds} seconds, but an Express execution '
                    f"stops after {EXPRESS_MAX_SECONDS} seconds",
                )
        for key in ("Retry", "Catch"):
            _unknown_errors(site, key, raised, report)


def _is_lambda(resource: object) -> bool:
    if not isinstance(resource, str):
        return False
    parsed = parse_resource(resource, placeholders=True)
    return parsed.kind is ResourceKind.LAMBDA or parsed.is_lambda_invoke


def _waits_for_a_token(resource: object) -> bool:
    if not isinstance(resource, str):
        return False
    parsed = parse_resource(resource, placeholders=True)
    return parsed.pattern == CALLBACK or parsed.kind is ResourceKind.ACTIVITY


def _retries_lambda(site: StateSite) -> bool:
    retry = site.body.get("Retry")
    if not isinstance(retry, list):
        return False
    for retrier in retry:
        errors = retrier.get("ErrorEquals") if isinstance(retrier, dict) else None
        if isinstance(errors, list) and _COVERS_LAMBDA.intersection(
            e for e in errors if isinstance(e, str)
        ):
            return True
    return False


def _unknown_errors(site: StateSite, key: str, raised: set[str], report: Report) -> None:
    items = site.body.get(key)
    if not isinstance(items, list):
        return
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("ErrorEquals"), list):
            continue
        for j, name in enumerate(item["ErrorEquals"]):
            if (
                isinstance(name, str)
                and name.startswith("States.")
                and name not in STATES_ERRORS | raised
            ):
                report.warning(
                    UNKNOWN_STATES_ERROR,
                    join(site.at(key), i, "ErrorEquals", j),
                    f'State "{site.name}": {key}[{i}]: {quote(name)} is not an error Step '
                    "Functions raises, so this never matches",
                )
