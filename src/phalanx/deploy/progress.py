"""Text for what deploy shows: steps, change sets, stack events, summaries.

Renderers take plain data (boto3's dicts) and return text, so tests compare
strings; the commands only print them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

Echo = Callable[[str], None]

_ACTIONS = {"Add": "+ add", "Modify": "~ modify", "Remove": "- remove", "Import": "> import"}


@dataclasses.dataclass
class StepLog:
    """Prints each step with the seconds since the command started."""

    echo: Echo
    clock: Callable[[], float]
    started: float = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        self.started = self.clock()

    def elapsed(self) -> float:
        return self.clock() - self.started

    def step(self, name: str, detail: str) -> None:
        self.echo(f"[{self.elapsed():7.2f}s] {name}: {detail}")

    def detail(self, text: str) -> None:
        for line in text.splitlines():
            self.echo(f"{'':11}{line}")


def size(count: int) -> str:
    """`25118` -> `24.5 KiB`."""
    value = float(count)
    for unit in ("B", "KiB", "MiB"):
        if value < 1024 or unit == "MiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def table(rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns separated by two spaces."""
    if not rows:
        return ""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def change_set(changes: Iterable[Mapping[str, Any]]) -> str:
    """What a change set will do, one resource a line (`Changes` of DescribeChangeSet)."""
    rows = []
    for change in changes:
        resource = change.get("ResourceChange", {})
        action = str(resource.get("Action", "?"))
        label = _ACTIONS.get(action, action)
        replacement = resource.get("Replacement")
        if action == "Modify" and replacement == "True":
            label = "! replace"
        elif action == "Modify" and replacement == "Conditional":
            label = "~ modify (may replace)"
        rows.append(
            [
                label,
                str(resource.get("LogicalResourceId", "")),
                str(resource.get("ResourceType", "")),
                ", ".join(_scopes(resource)),
            ]
        )
    return table(rows) if rows else "(no changes)"


def _scopes(resource: Mapping[str, Any]) -> list[str]:
    names = [
        str(detail.get("Target", {}).get("Name", ""))
        for detail in resource.get("Details", []) or []
        if detail.get("Target", {}).get("Name")
    ]
    return sorted(set(names))


def event(item: Mapping[str, Any], since: datetime | None = None) -> str:
    """One stack event: offset, resource, type, status, reason."""
    stamp = item.get("Timestamp")
    offset = ""
    if isinstance(stamp, datetime) and since is not None:
        offset = f"+{max(0.0, (stamp - since).total_seconds()):.1f}s"
    reason = item.get("ResourceStatusReason") or ""
    parts = [
        offset.rjust(7),
        str(item.get("LogicalResourceId", "")).ljust(28),
        str(item.get("ResourceType", "")).ljust(34),
        str(item.get("ResourceStatus", "")),
    ]
    line = " ".join(parts)
    return f"{line}  {reason}" if reason else line


def is_failure(item: Mapping[str, Any]) -> bool:
    return str(item.get("ResourceStatus", "")).endswith("_FAILED")


def timings(events: Iterable[Mapping[str, Any]], stack_name: str) -> list[list[str]]:
    """Per-resource rows (id, type, last status, seconds from first to last event)."""
    first: dict[str, datetime] = {}
    last: dict[str, Mapping[str, Any]] = {}
    for item in sorted(events, key=lambda e: e["Timestamp"]):
        lid = str(item.get("LogicalResourceId", ""))
        if item.get("ResourceType") == "AWS::CloudFormation::Stack" and lid == stack_name:
            continue
        first.setdefault(lid, item["Timestamp"])
        last[lid] = item
    rows = []
    for lid, item in last.items():
        seconds = (item["Timestamp"] - first[lid]).total_seconds()
        rows.append(
            [lid, str(item.get("ResourceType", "")), str(item["ResourceStatus"]), f"{seconds:.1f}s"]
        )
    return rows


def outputs(items: Iterable[Mapping[str, Any]]) -> str:
    rows = [[str(o.get("OutputKey", "")), str(o.get("OutputValue", ""))] for o in items]
    return table(rows) if rows else "(none)"


def resources(items: Iterable[Mapping[str, Any]]) -> str:
    rows = [
        [
            str(r.get("LogicalResourceId", "")),
            str(r.get("ResourceType", "")),
            str(r.get("ResourceStatus", "")),
            str(r.get("PhysicalResourceId", "")),
        ]
        for r in items
    ]
    return table(rows) if rows else "(none)"
