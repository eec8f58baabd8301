"""Run the AWS-recorded conformance corpus through the local engine.

    python bench/conformance.py [--failures] [--group NAME] [CASE_FILE_SUBSTRING ...]

Prints pass rates by group and by criterion (status/output, error/cause,
event types; and, for information, whole histories: ids, previousEventId and
event details, timestamps aside). Each case's `lambda_behaviour` is implemented by a registered
test double; comparison follows the corpus README (masks; Lambda causes
compared on errorMessage/errorType). Nothing here looks at a case's name.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The corpus copy in the repository (tests/data/README.md); PHALANX_CORPORA points elsewhere.
CORPUS = Path(os.environ.get("PHALANX_CORPORA") or ROOT / "tests" / "data") / "conformance"
sys.path.insert(0, str(ROOT / "src"))

from phalanx.asl import StateMachine  # noqa: E402
from phalanx.errors import PhalanxError  # noqa: E402
from phalanx.runtime import clock as clock_module  # noqa: E402
from phalanx.runtime.local import Execution, run  # noqa: E402
from phalanx.testing.masks import Masks, same, same_cause  # noqa: E402


def case_files(corpus: Path = CORPUS) -> list[Path]:
    return sorted((corpus / "cases").glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    case: dict[str, Any] = json.loads(path.read_text())
    return case


# -- Lambda test doubles ----------------------------------------------------


def _exception_type(name: str) -> type[Exception]:
    return type(name, (Exception,), {})


def double(behaviour: dict[str, Any]) -> Callable[[Any, Any], Any]:
    """A handler doing what `behaviour` describes (README, "Lambda")."""
    kind = behaviour["kind"]
    if kind == "echo":
        return lambda event, context: event
    if kind == "return":
        value = behaviour["value"]
        return lambda event, context: value
    if kind == "return_raw":
        if "payload_repeat" in behaviour:
            repeat = behaviour["payload_repeat"]
            raw = (repeat["text"] * repeat["count"]).encode("utf-8")
        else:
            raw = behaviour["payload"].encode("utf-8")
        return lambda event, context: raw
    if kind == "raise":
        error_type = _exception_type(behaviour["error_type"])
        message = behaviour["message"]

        def raising(event: Any, context: Any) -> Any:
            raise error_type(message)

        return raising
    if kind == "sleep_then_echo":
        seconds = behaviour["seconds"]

        def sleeper(event: Any, context: Any) -> Any:
            clock_module.sleep(seconds)
            return event

        return sleeper
    raise ValueError(f"unknown lambda behaviour {kind!r}")


# -- comparison (masks: phalanx.testing.masks) -------------------------------


def same_event_types(case: dict[str, Any], actual: list[str]) -> bool:
    """Ordered comparison; events whose ids the snapshot masked (reordered or
    dropped by LocalStack's transformer) compare as a sub-multiset."""
    expected = case["expected"]["event_types"]
    history = case["expected"].get("history") or []
    if not any(not isinstance(e.get("id"), int) for e in history):
        return bool(expected == actual)
    fixed_before = []
    for event in history:
        if not isinstance(event.get("id"), int):
            break
        fixed_before.append(event["type"])
    fixed_after = []
    for event in reversed(history):
        if not isinstance(event.get("id"), int):
            break
        fixed_after.insert(0, event["type"])
    middle = [e["type"] for e in history if not isinstance(e.get("id"), int)]
    if actual[: len(fixed_before)] != fixed_before:
        return False
    if fixed_after and actual[-len(fixed_after) :] != fixed_after:
        return False
    rest = collections.Counter(actual[len(fixed_before) : len(actual) - len(fixed_after)])
    return not collections.Counter(middle) - rest


# -- running ----------------------------------------------------------------


def execute(case: dict[str, Any]) -> Execution:
    functions = {
        name: double(behaviour) for name, behaviour in (case.get("lambda_behaviour") or {}).items()
    }
    machine = StateMachine.from_asl(case["definition"])
    request = case["expected"].get("history_request") or {}
    return run(
        machine,
        case["input"],
        functions=functions,
        fast=True,
        name=case.get("execution_name"),
        machine_type=case.get("state_machine_type", "STANDARD"),
        include_execution_data=request.get("includeExecutionData", True),
        seed=0,
        # Fixed, for reproducible verdicts: Wait TimestampPath inputs hold times
        # from extraction, so "too far in the future" is measured from a date before it.
        start_time="2024-01-01T00:00:00Z",
        # The tests sent json.dumps(input): ExecutionStarted shows that text.
        input_text=case.get("input_text", json.dumps(case["input"])),
    )


def check(case: dict[str, Any]) -> dict[str, bool | None]:
    """Verdict per criterion: True/False, or None where the case has nothing to compare."""
    try:
        execution = execute(case)
    except PhalanxError as error:
        execution = Execution("FAILED", None, "States.Runtime", str(error), ())
    except Exception as error:  # a bug: report it as a failing verdict
        return {
            "status/output": False,
            "error/cause": False,
            "events": False,
            "crash": f"{type(error).__name__}: {error}",
        }  # type: ignore[dict-item]
    return judge(case, execution)


def judge(case: dict[str, Any], execution: Execution) -> dict[str, bool | None]:
    """Compare a finished execution (however it ran) with the case's recording."""
    expected = case["expected"]
    masks = Masks.of_case(case)
    verdict: dict[str, bool | None] = {
        "status/output": None,
        "error/cause": None,
        "events": None,
        "history": None,
    }
    status_ok = execution.status == expected["status"]
    if expected["status"] == "SUCCEEDED":
        output = execution.output
        if expected.get("output_unparsed"):
            output = json.dumps(output, separators=(",", ":"), ensure_ascii=False)
        verdict["status/output"] = status_ok and same(expected.get("output"), output, masks)
    else:
        verdict["status/output"] = status_ok
        verdict["error/cause"] = (
            status_ok
            and same(expected.get("error"), execution.error, masks)
            and same_cause(expected.get("cause"), execution.cause, masks)
        )
    if "event_types" in expected:
        verdict["events"] = same_event_types(case, [e["type"] for e in execution.history])
    verdict["history"] = same_history(case, execution.history)
    return verdict


def same_history(case: dict[str, Any], history: Sequence[dict[str, Any]]) -> bool | None:
    """Every event's type, id, previousEventId and details (timestamps aside).

    Informational: not part of `passed`. Only for recorded histories whose ids
    were not masked; Lambda causes compare as in `same_cause`.
    """
    expected = case["expected"].get("history")
    if not expected or any(not isinstance(e.get("id"), int) for e in expected):
        return None
    if len(expected) != len(history):
        return False
    masks = Masks.of_case(case)
    for want, got in zip(expected, history, strict=True):
        if (want["type"], want["id"], want["previousEventId"]) != (
            got["type"],
            got["id"],
            got["previousEventId"],
        ):
            return False
        keys = {k for k in want if k.endswith("Details")}
        if keys != {k for k in got if k.endswith("Details")}:
            return False
        for key in keys:
            want_details, got_details = dict(want[key]), dict(got[key])
            if "cause" in want_details and same_cause(
                want_details["cause"], got_details.get("cause"), masks
            ):
                want_details.pop("cause")
                got_details.pop("cause", None)
            if not same(want_details, got_details, masks):
                return False
    return True


def passed(verdict: dict[str, bool | None]) -> bool:
    return all(v is not False for k, v in verdict.items() if k != "history")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("filters", nargs="*")
    parser.add_argument("--failures", action="store_true", help="list failing cases")
    parser.add_argument("--group")
    args = parser.parse_args(argv)
    by_group: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    totals: collections.Counter[str] = collections.Counter()
    failing = []
    for path in case_files():
        if args.filters and not any(f in path.name for f in args.filters):
            continue
        case = load(path)
        if args.group and case["group"] != args.group:
            continue
        verdict = check(case)
        ok = passed(verdict)
        for counter in (by_group[case["group"]], totals):
            counter["cases"] += 1
            counter["passed"] += ok
            for criterion, value in verdict.items():
                if criterion == "crash":
                    continue
                if value is not None:
                    counter[f"{criterion} n"] += 1
                    counter[f"{criterion} ok"] += bool(value)
        if not ok:
            failing.append((path.name, verdict))
    criteria = ("status/output", "error/cause", "events", "history")
    header = f"{'group':<20} {'cases':>6} {'passed':>7} {'rate':>7}  " + "  ".join(
        f"{c:>16}" for c in criteria
    )
    print(header)
    print("-" * len(header))

    def row(name: str, counter: collections.Counter[str]) -> str:
        cells = []
        for criterion in criteria:
            n = counter[f"{criterion} n"]
            cells.append(f"{counter[f'{criterion} ok']:>7}/{n:<5} " if n else f"{'-':>16}")
        rate = 100.0 * counter["passed"] / counter["cases"] if counter["cases"] else 0.0
        return (
            f"{name:<20} {counter['cases']:>6} {counter['passed']:>7} {rate:>6.1f}%  "
            + "  ".join(f"{c:>16}" for c in cells)
        )

    for group in sorted(by_group):
        print(row(group, by_group[group]))
    print("-" * len(header))
    print(row("TOTAL", totals))
    if args.failures:
        for name, verdict in failing:
            bad = [
                f"{c}={v}" if c == "crash" else c
                for c, v in verdict.items()
                if (v is False and c != "history") or c == "crash"
            ]
            print(f"FAIL {name}: {', '.join(bad)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
