"""A running execution as text: each state as it is entered and left, with times.

      0.000s  > Hello (Task)
      0.002s  < Hello after 0.002s
      0.002s    Hello -> Wait

`PathReport` turns each history event into lines; the caller prints them.
"""

from __future__ import annotations

from typing import Any

from phalanx.engine.history import details_key


class PathReport:
    """Lines for each history event: states entered and left, transitions, failures."""

    def __init__(self) -> None:
        self.start: float | None = None
        self.entered: dict[str, float] = {}
        self.last_exit: str | None = None

    def lines(self, event: dict[str, Any]) -> list[str]:
        """What `event` adds to the report (often nothing)."""
        kind = event["type"]
        now = float(event["timestamp"])
        if self.start is None:
            self.start = now
        offset = f"{now - self.start:8.3f}s"
        details = event.get(details_key(kind), {})
        lines: list[str] = []
        if kind.endswith("StateEntered"):
            name = details.get("name", "?")
            if self.last_exit is not None:
                lines.append(f"{offset}    {self.last_exit} -> {name}")
                self.last_exit = None
            self.entered[name] = now
            lines.append(f"{offset}  > {name} ({kind.removesuffix('StateEntered')})")
        elif kind.endswith("StateExited"):
            name = details.get("name", "?")
            took = now - self.entered.get(name, now)
            lines.append(f"{offset}  < {name} after {took:.3f}s")
            self.last_exit = name
        elif kind in ("MapIterationStarted", "MapIterationFailed"):
            lines.append(f"{offset}    {details.get('name')}[{details.get('index')}] {kind[12:]}")
        elif kind.endswith("Failed") or kind.endswith("TimedOut"):
            error = details.get("error")
            if error is not None and not kind.startswith("Execution"):
                lines.append(f"{offset}    {kind}: {error}")
        return lines


def outcome_text(status: str, output: Any, error: str | None, cause: str | None) -> str:
    """The end of a run: the status, then the output or the error and cause."""
    import json

    if status == "SUCCEEDED":
        return f"{status}\n{json.dumps(output, indent=2, ensure_ascii=False)}"
    return f"{status}\nerror: {error}\ncause: {cause}"
