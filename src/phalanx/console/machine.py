"""A state machine's page: its graph, its definition, its executions, and the start form.

The form is checked twice: in the page (the input must parse as JSON, the
name must be one AWS accepts) before it is sent, and by the server, which
answers a refused start with the page again, the message beside its field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from phalanx.api.context import Service
from phalanx.api.errors import ApiError
from phalanx.console.calls import call
from phalanx.console.drawing import framed, graph
from phalanx.console.home import executions, executions_table
from phalanx.console.markup import code_block, escape, moment, page

DEFAULT_INPUT = '{\n  "comment": "hello"\n}'
_FIELD_OF_ERROR = {
    "InvalidName": "name",
    "ExecutionAlreadyExists": "name",
    "InvalidExecutionInput": "input",
}


def machine_page(
    service: Service,
    arn: str,
    *,
    entered: Mapping[str, str] | None = None,
    problems: Mapping[str, str] | None = None,
) -> str:
    """The page of the machine `arn`; `entered` and `problems` refill a refused start form."""
    described = call(service, "DescribeStateMachine", {"stateMachineArn": arn})
    name = described["name"]
    facts = (
        f"<dt>ARN</dt><dd>{escape(described['stateMachineArn'])}</dd>"
        f"<dt>Type</dt><dd>{escape(described['type'])}</dd>"
        f"<dt>Role</dt><dd>{escape(described['roleArn'])}</dd>"
        f"<dt>Created (UTC)</dt><dd>{escape(moment(described['creationDate']))}</dd>"
    )
    listed = ""
    if described["type"] == "STANDARD":
        found = executions(service, arn)
        shown = executions_table(found, service.clock.now(), caption=f"Executions of {name}")
        listed = (
            '<section aria-labelledby="executions-title">'
            f'<h2 id="executions-title">Executions</h2>{shown}</section>'
        )
    body = (
        f"<h1>{escape(name)}</h1>\n"
        f'<section aria-label="About this state machine"><dl class="facts">{facts}</dl></section>\n'
        '<div class="columns">'
        '<section aria-labelledby="graph-title"><h2 id="graph-title">Graph</h2>'
        f"{framed(graph(described['definition'], name))}</section>"
        f"{start_form(arn, described['type'], entered or {}, problems or {})}</div>\n"
        f"{listed}\n"
        '<section aria-labelledby="definition-title"><h2 id="definition-title">Definition</h2>'
        f"{code_block(described['definition'], f'Definition of {name}')}</section>"
    )
    return page(name, body, trail=[("/", "State machines")])


def start_form(
    arn: str, machine_type: str, entered: Mapping[str, str], problems: Mapping[str, str]
) -> str:
    """The form that starts an execution; every field labelled, its error beside it."""
    if machine_type != "STANDARD":
        return (
            '<section aria-labelledby="start-title"><h2 id="start-title">Start an execution</h2>'
            '<p class="note">EXPRESS executions are not kept, so the console cannot show them: '
            "start them with StartSyncExecution.</p></section>"
        )
    general = problems.get("form", "")
    general_html = f'<p class="error" role="alert">{escape(general)}</p>' if general else ""
    return (
        '<section aria-labelledby="start-title"><h2 id="start-title">Start an execution</h2>'
        f"{general_html}"
        '<form id="start-form" method="post" action="/machine/start" novalidate>'
        f'<input type="hidden" name="arn" value="{escape(arn)}">'
        + _field(
            "name",
            "Name",
            "Optional: left empty, a unique name is made up.",
            f'<input type="text" id="execution-name" name="name" maxlength="80" '
            f'autocomplete="off" value="{escape(entered.get("name", ""))}"',
            problems,
        )
        + _field(
            "input",
            "Input (JSON)",
            "The execution's input: a JSON value, {} when left empty.",
            '<textarea id="execution-input" name="input" rows="8" spellcheck="false"',
            problems,
            escape(entered.get("input", DEFAULT_INPUT)),
        )
        + '<div class="actions"><button type="submit">Start execution</button></div>'
        "</form></section>"
    )


def _field(
    key: str,
    label: str,
    hint: str,
    control: str,
    problems: Mapping[str, str],
    content: str | None = None,
) -> str:
    """A label, a hint, the control (opened by `control`) and the place for its error."""
    field_id = f"execution-{key}"
    problem = problems.get(key, "")
    state = ' aria-invalid="true"' if problem else ""
    described = f'aria-describedby="{field_id}-hint {field_id}-error"{state}>'
    closing = "" if content is None else f"{content}</textarea>"
    return (
        f'<label for="{field_id}">{escape(label)}</label>'
        f'<p class="hint" id="{field_id}-hint">{escape(hint)}</p>'
        f"{control} {described}{closing}"
        f'<p class="field-error" id="{field_id}-error" aria-live="polite">{escape(problem)}</p>'
    )


def start(service: Service, form: Mapping[str, str]) -> tuple[str | None, dict[str, str]]:
    """Start what the form asks: the new execution's ARN, or the problems by field."""
    text = form.get("input", "").strip() or "{}"
    try:
        json.loads(text)
    except ValueError as error:
        return None, {"input": f"The input is not JSON: {error}"}
    request: dict[str, Any] = {"stateMachineArn": form.get("arn", ""), "input": text}
    if form.get("name"):
        request["name"] = form["name"]
    try:
        answer = call(service, "StartExecution", request)
    except ApiError as error:
        field = _FIELD_OF_ERROR.get(error.code) or _field_named(error.message)
        return None, {field: f"{error.code}: {error.message}"}
    return str(answer["executionArn"]), {}


def _field_named(message: str) -> str:
    """Which field a ValidationException is about: its message says `at 'name'`."""
    for field in ("input", "name"):
        if f"at '{field}'" in message:
            return field
    return "form"
