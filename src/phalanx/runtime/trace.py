"""The text trace of an execution as it runs: what `phalanx run` prints.

    trace = TextTrace()
    run(machine, data, trace=lambda event, label: print(*trace(event, label), sep="\\n"))

Each line has the time since the execution started, then the state with the
branch or iteration it runs in (`Fulfil[1] ReserveStock`,
`PriceLines[3] PriceLine`). A transition `A -> B` is printed only when B
follows A in the same branch; branches that run at once show as lines that
interleave, in the order things happened.
"""

from __future__ import annotations

import json
from typing import Any

from phalanx.engine.history import details_key


class TextTrace:
    """Turns each history event (and its branch label) into the lines to print."""

    def __init__(self) -> None:
        self.start: float | None = None
        self.entered: dict[tuple[str, str], float] = {}
        self.last_exit: dict[str, str] = {}

    def __call__(self, event: dict[str, Any], label: str = "") -> list[str]:
        kind = event["type"]
        now = float(event["timestamp"])
        if self.start is None:
            self.start = now
        offset = f"{now - self.start:8.3f}s"
        details = event.get(details_key(kind), {})
        lines: list[str] = []
        if kind.endswith("StateEntered"):
            name = details.get("name", "?")
            previous = self.last_exit.pop(label, None)
            if previous is not None:
                lines.append(f"{offset}    {label}{previous} -> {name}")
            self.entered[label, name] = now
            lines.append(f"{offset}  > {label}{name} ({kind.removesuffix('StateEntered')})")
        elif kind.endswith("StateExited"):
            name = details.get("name", "?")
            took = now - self.entered.pop((label, name), now)
            lines.append(f"{offset}  < {label}{name} after {took:.3f}s")
            self.last_exit[label] = name
        elif kind in ("MapIterationStarted", "MapIterationFailed", "MapIterationAborted"):
            lines.append(f"{offset}    {label.rstrip()} {kind.removeprefix('MapIteration')}")
        elif kind.endswith("StateAborted"):
            lines.append(f"{offset}    {label}{kind}")
        elif kind.endswith("Failed") or kind.endswith("TimedOut"):
            error = details.get("error")
            if error is not None and not kind.startswith("Execution"):
                lines.append(f"{offset}    {label}{kind}: {error}")
        return lines


def outcome_text(status: str, output: Any, error: str | None, cause: str | None) -> str:
    """The end of a run: the status, then the output or the error and cause."""
    if status == "SUCCEEDED":
        return f"{status}\n{json.dumps(output, indent=2, ensure_ascii=False)}"
    return f"{status}\nerror: {error}\ncause: {cause}"
