"""Which integrations of the real-world corpus Phalanx runs, and how: the table of docs/services.md.

For every Task resource of tests/data/realworld (nested states included),
parsed by `phalanx.asl.resources` and judged by `phalanx.services.support`:
the resource (`service:action[.pattern]`), how many Tasks and workflows use
it, and whether Phalanx runs it locally, through boto3, or not at all.
A workflow counts as runnable when every one of its Tasks is.

Usage: python bench/integrations.py [--markdown]
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

from phalanx.asl.resources import ResourceKind, parse_resource
from phalanx.services.support import Support, boto3_service_names, support, task_resources

CASES = Path(__file__).resolve().parents[1] / "tests" / "data" / "realworld" / "cases"


def label(resource: str) -> str:
    """The table's name for a resource: `sns:publish`, `aws-sdk:s3:getObject`, `Lambda function`."""
    parsed = parse_resource(resource, placeholders=True)
    if parsed.kind is ResourceKind.SDK:
        return f"aws-sdk:{parsed.service}:{parsed.action}{parsed.pattern}"
    if parsed.kind in (ResourceKind.INTEGRATION, ResourceKind.HTTP):
        return f"{parsed.service}:{parsed.action}{parsed.pattern}"
    if parsed.kind is ResourceKind.LAMBDA:
        return "Lambda function ARN"
    if parsed.kind is ResourceKind.ACTIVITY:
        return "activity ARN"
    way = support(resource).way
    what = {"callback": "an activity", "boto3": "a service integration"}.get(
        way, "a Lambda function"
    )
    return f"${{...}} standing for {what}"


def boto3_services() -> set[str]:
    import boto3

    return boto3_service_names(boto3.Session(region_name="us-east-1")._session)


def measure() -> tuple[list[tuple[str, int, int, Support]], int, int, list[str]]:
    services = boto3_services()
    tasks: collections.Counter[str] = collections.Counter()
    workflows: collections.Counter[str] = collections.Counter()
    verdicts: dict[str, Support] = {}
    runnable = 0
    blocked: list[str] = []
    files = sorted(CASES.glob("*.json"))
    for path in files:
        case = json.loads(path.read_text(encoding="utf-8"))
        resources = list(task_resources(case["definition"].get("States")))
        seen = set()
        ok = True
        for resource in resources:
            verdict = support(resource, services)
            name = label(resource)
            verdicts.setdefault(name, verdict)
            tasks[name] += 1
            seen.add(name)
            ok = ok and verdict.runnable
        for name in seen:
            workflows[name] += 1
        if ok:
            runnable += 1
        else:
            blocked.append(case["name"])
    rows = [(name, tasks[name], workflows[name], verdicts[name]) for name, _ in tasks.most_common()]
    return rows, runnable, len(files), blocked


def main() -> None:
    rows, runnable, total, blocked = measure()
    print("| resource | Tasks | workflows | runs | how / why not |")
    print("| --- | ---: | ---: | --- | --- |")
    for name, tasks, workflows, verdict in rows:
        print(f"| `{name}` | {tasks} | {workflows} | {verdict.way} | {verdict.why} |")
    print()
    print(f"workflows with every Task runnable: {runnable} of {total}")
    if "--markdown" not in sys.argv:
        for name in blocked:
            print(f"  not runnable: {name}")


if __name__ == "__main__":
    main()
