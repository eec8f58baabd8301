"""An execution's page: its status, its graph coloured by what happened, each state's
input and output, its events; and the same parts again as JSON while it runs.

The page is whole when served; `/execution/live` answers the parts (HTML
fragments, escaped here) when the history has grown, and the page's script
swaps them in, so a running execution is watched without a reload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from phalanx.api.context import Service
from phalanx.api.views import summary
from phalanx.console.calls import call, every, serves
from phalanx.console.drawing import framed, graph
from phalanx.console.markup import (
    badge,
    code_block,
    escape,
    link,
    moment,
    page,
    table,
    took,
    url,
)

ENDED = frozenset({"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"})
PARTS = ("execution-summary", "execution-actions", "execution-graph", "execution-states",
         "execution-events")  # fmt: skip
"""The ids of the page's parts that change while an execution runs."""


@dataclass(frozen=True, slots=True)
class Seen:
    """An execution as one look at the service found it."""

    described: dict[str, Any]
    definition: str
    machine_name: str
    events: list[dict[str, Any]]

    @property
    def status(self) -> str:
        return str(self.described["status"])

    @property
    def version(self) -> str:
        """Changes whenever the page would: a new event or a new status."""
        return f"{len(self.events)}:{self.status}"


def look(service: Service, arn: str) -> Seen:
    described = call(service, "DescribeExecution", {"executionArn": arn})
    machine = call(service, "DescribeStateMachineForExecution", {"executionArn": arn})
    events = every(service, "GetExecutionHistory", {"executionArn": arn}, "events")
    return Seen(described, machine["definition"], machine["name"], events)


def execution_page(service: Service, arn: str) -> str:
    seen = look(service, arn)
    parts = fragments(service, seen)
    name = seen.described["name"]
    machine_arn = seen.described["stateMachineArn"]
    watching = ""
    note = "Execution ended."
    if seen.status not in ENDED:
        live = url("/execution/live", arn=arn)
        watching = f' data-live="{escape(live)}" data-since="{escape(seen.version)}"'
        note = "Updating live while the execution runs."
    body = (
        f'<h1>{escape(name)}</h1>\n<div id="execution"{watching}>'
        f'<p class="live" id="live-note" aria-live="polite">{escape(note)}</p>'
        f'<section aria-labelledby="summary-title"><h2 id="summary-title">Execution</h2>'
        f'<div id="execution-summary">{parts["execution-summary"]}</div>'
        f'<div id="execution-actions" class="actions">{parts["execution-actions"]}</div></section>'
        '<div class="columns">'
        '<section aria-labelledby="graph-title"><h2 id="graph-title">Graph</h2>'
        f"{framed(parts['execution-graph'], 'execution-graph')}"
        "</section>"
        '<section aria-labelledby="states-title"><h2 id="states-title">States</h2>'
        f'<div id="execution-states">{parts["execution-states"]}</div></section>'
        "</div>"
        '<section aria-labelledby="events-title"><h2 id="events-title">Events</h2>'
        f'<div id="execution-events">{parts["execution-events"]}</div></section></div>'
    )
    trail = [("/", "State machines"), (url("/machine", arn=machine_arn), seen.machine_name)]
    return page(name, body, trail=trail)


def live(service: Service, arn: str, since: str) -> dict[str, Any]:
    """What `/execution/live` answers: the parts, unless nothing changed since `since`."""
    seen = look(service, arn)
    done = seen.status in ENDED
    if seen.version == since:
        return {"unchanged": True, "done": done}
    return {"since": seen.version, "done": done, "fragments": fragments(service, seen)}


def fragments(service: Service, seen: Seen) -> dict[str, str]:
    return {
        "execution-summary": _summary(service, seen),
        "execution-actions": _actions(seen),
        "execution-graph": graph(seen.definition, seen.machine_name, seen.events),
        "execution-states": _visits(seen.events, ended=seen.status in ENDED),
        "execution-events": _events(seen.events),
    }


def _summary(service: Service, seen: Seen) -> str:
    d = seen.described
    machine = link(url("/machine", arn=d["stateMachineArn"]), seen.machine_name)
    facts = (
        f"<dt>Status</dt><dd>{badge(seen.status)}</dd>"
        f"<dt>State machine</dt><dd>{machine}</dd>"
        f"<dt>ARN</dt><dd>{escape(d['executionArn'])}</dd>"
        f"<dt>Started (UTC)</dt><dd>{escape(moment(d['startDate']))}</dd>"
        f"<dt>Stopped (UTC)</dt><dd>{escape(moment(d.get('stopDate')))}</dd>"
        f"<dt>Duration</dt>"
        f"<dd>{escape(took(d['startDate'], d.get('stopDate'), service.clock.now()))}</dd>"
    )
    problem = ""
    if "error" in d or "cause" in d:
        problem = (
            f'<div class="error" role="alert"><strong>{escape(d.get("error", "Error"))}</strong>'
            f"<p>{escape(d.get('cause', ''))}</p></div>"
        )
    data = f"<h3>Input</h3>{code_block(d.get('input'), 'Execution input')}"
    if "output" in d:
        data += f"<h3>Output</h3>{code_block(d['output'], 'Execution output')}"
    about = f'<dl class="facts">{facts}</dl>{problem}'
    return f'<div class="halves"><div>{about}</div><div>{data}</div></div>'


def _actions(seen: Seen) -> str:
    """Stop while it runs; redrive once it failed, where this Phalanx serves RedriveExecution."""
    arn = escape(seen.described["executionArn"])
    buttons = []
    if seen.status == "RUNNING":
        buttons.append(
            '<form method="post" action="/execution/stop">'
            f'<input type="hidden" name="arn" value="{arn}">'
            '<button type="submit" class="danger">Stop execution</button></form>'
        )
    if serves("RedriveExecution") and seen.described.get("redriveStatus") == "REDRIVABLE":
        buttons.append(
            '<form method="post" action="/execution/redrive">'
            f'<input type="hidden" name="arn" value="{arn}">'
            '<button type="submit">Redrive</button></form>'
        )
    return "".join(buttons)


@dataclass
class _Visit:
    name: str
    step: int
    input: str | None
    output: str | None = None
    exited: bool = False
    errors: list[str] = field(default_factory=list)


def visits(events: list[dict[str, Any]]) -> list[_Visit]:
    """Each time a state was entered: its input, output and the errors raised in it.

    An error belongs to the latest state entered and not yet exited (in a
    Parallel, where branches interleave, that is the best guess the history allows).
    """
    found: list[_Visit] = []
    for event in events:
        kind, details = event["type"], _details(event)
        if kind.endswith("StateEntered"):
            found.append(_Visit(str(details.get("name")), len(found) + 1, details.get("input")))
        elif kind.endswith("StateExited"):
            for visit in reversed(found):
                if visit.name == details.get("name") and not visit.exited:
                    visit.output, visit.exited = details.get("output"), True
                    break
        elif ("error" in details or "cause" in details) and not kind.startswith("Execution"):
            open_visits = [v for v in found if not v.exited]
            if open_visits:
                open_visits[-1].errors.append(summary(details, width=400))
    return found


def _details(event: dict[str, Any]) -> dict[str, Any]:
    for key, value in event.items():
        if key.endswith("EventDetails") and isinstance(value, dict):
            return value
    return {}


def _visits(events: list[dict[str, Any]], *, ended: bool) -> str:
    found = visits(events)
    if not found:
        return '<p class="empty">No state entered yet.</p>'
    items = []
    for visit in found:
        status = "exited" if visit.exited else ("never exited" if ended else "running")
        if visit.errors:
            status = "failed" if not visit.exited else "exited after an error"
        errors = "".join(
            f'<div class="error"><strong>Error</strong><p>{escape(e)}</p></div>'
            for e in visit.errors
        )
        output = ""
        if visit.output is not None:
            label = f"Output of {visit.name}, step {visit.step}"
            output = f"<h4>Output</h4>{code_block(visit.output, label)}"
        is_open = " open" if visit is found[-1] or visit.errors else ""
        items.append(
            f'<details class="visit"{is_open}><summary><h3>{escape(visit.name)}</h3> '
            f'<span class="step">step {visit.step} · {escape(status)}</span></summary>'
            f"{errors}<h4>Input</h4>"
            f"{code_block(visit.input, f'Input of {visit.name}, step {visit.step}')}{output}"
            "</details>"
        )
    return "".join(items)


def _events(events: list[dict[str, Any]]) -> str:
    rows = []
    for event in events:
        details = _details(event)
        rows.append(
            (
                escape(event["id"]),
                escape(moment(event["timestamp"])),
                escape(event["type"]),
                escape(details.get("name", "-")),
                f'<span class="details">{escape(summary(details, width=120))}</span>',
            )
        )
    headers = ("ID", "Time (UTC)", "Type", "State", "Details")
    return table("The execution's history events, oldest first", headers, rows, "No events yet.")
