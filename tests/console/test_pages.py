"""The console's pages over HTTP, without a browser: routing, escaping, refusals, live JSON."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.conftest import ROLE, client
from tests.api.server import RunningServer, post, start
from tests.api.test_executions import finished
from tests.console.conftest import FIXED_DIE

MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:RollDie"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    db = tmp_path_factory.mktemp("pages") / "phalanx.db"
    running = start(db, "--functions", str(FIXED_DIE), "--virtual-clock")
    try:
        yield running
    finally:
        running.stop()


def get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def execution(served: RunningServer, name: str, text: str) -> str:
    sfn: Any = client(served.url)
    arn = str(sfn.start_execution(stateMachineArn=MACHINE, name=name, input=text)["executionArn"])
    finished(sfn, arn)
    return arn


def test_get_is_the_console_and_post_is_still_the_api(served: RunningServer) -> None:
    status, headers, body = get(served.url + "/")
    assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert 'href="/machine?arn=arn%3Aaws%3Astates' in body
    status, _, answer = post(served.url, "ListStateMachines", {})
    assert (status, [m["name"] for m in answer["stateMachines"]]) == (200, ["RollDie"])


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        pytest.param("/console/console.css", "text/css; charset=utf-8", id="stylesheet"),
        pytest.param("/console/console.js", "text/javascript; charset=utf-8", id="script"),
    ],
)
def test_the_console_serves_its_own_assets(
    served: RunningServer, path: str, content_type: str
) -> None:
    status, headers, body = get(served.url + path)
    assert (status, headers["Content-Type"]) == (200, content_type)
    assert "http" not in body  # nothing fetched from anywhere else


def test_what_an_execution_holds_is_escaped(served: RunningServer) -> None:
    arn = execution(served, "escaped", json.dumps({"x": "<img src=x onerror=alert(1)>"}))
    status, _, body = get(served.url + "/execution?" + urllib.parse.urlencode({"arn": arn}))
    assert status == 200
    assert "<img" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body


def test_a_form_sent_from_another_site_is_refused(served: RunningServer) -> None:
    form = urllib.parse.urlencode({"arn": MACHINE, "name": "forged", "input": "{}"}).encode()
    request = urllib.request.Request(
        served.url + "/machine/start", data=form, headers={"Origin": "http://elsewhere.example"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    listed = client(served.url).list_executions(stateMachineArn=MACHINE)["executions"]
    assert "forged" not in [e["name"] for e in listed]


def test_a_form_from_the_console_starts_and_shows_the_execution(served: RunningServer) -> None:
    form = urllib.parse.urlencode({"arn": MACHINE, "name": "by-form", "input": ""}).encode()
    host = served.url.removeprefix("http://")
    request = urllib.request.Request(
        served.url + "/machine/start", data=form, headers={"Origin": f"http://{host}"}
    )
    started = "arn:aws:states:us-east-1:123456789012:execution:RollDie:by-form"
    with urllib.request.urlopen(request, timeout=10) as answer:  # follows the 303
        assert answer.url == f"{served.url}/execution?arn={urllib.parse.quote(started, safe='')}"
        assert "by-form" in answer.read().decode()


def test_live_answers_only_what_changed(served: RunningServer) -> None:
    arn = execution(served, "live", "{}")
    address = served.url + "/execution/live?" + urllib.parse.urlencode({"arn": arn})
    first = json.loads(get(address + "&since=")[2])
    assert first["done"] is True
    assert set(first["fragments"]) == {
        "execution-summary",
        "execution-actions",
        "execution-graph",
        "execution-states",
        "execution-events",
    }
    again = json.loads(get(address + "&since=" + urllib.parse.quote(first["since"]))[2])
    assert again == {"unchanged": True, "done": True}


@pytest.mark.parametrize(
    ("path", "status", "shown"),
    [
        pytest.param(
            "/execution?arn=arn:aws:states:us-east-1:123456789012:execution:RollDie:none",
            404,
            "ExecutionDoesNotExist",
            id="unknown-execution",
        ),
        pytest.param(
            "/machine?arn=arn:aws:states:us-east-1:123456789012:stateMachine:None",
            404,
            "StateMachineDoesNotExist",
            id="unknown-machine",
        ),
        pytest.param("/execution?arn=nonsense", 400, "InvalidArn", id="not-an-arn"),
        pytest.param("/elsewhere", 404, "no page /elsewhere", id="unknown-page"),
    ],
)
def test_what_is_not_there_is_a_page_saying_so(
    served: RunningServer, path: str, status: int, shown: str
) -> None:
    answered, headers, body = get(served.url + path)
    assert (answered, headers["Content-Type"]) == (status, "text/html; charset=utf-8")
    assert shown in body


def test_a_failed_execution_shows_its_error_and_cause(served: RunningServer) -> None:
    sfn: Any = client(served.url)
    failing = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "<b>"}}}
    machine = sfn.create_state_machine(name="fails", definition=json.dumps(failing), roleArn=ROLE)[
        "stateMachineArn"
    ]
    arn = sfn.start_execution(stateMachineArn=machine, name="failed")["executionArn"]
    finished(sfn, arn)
    _, _, body = get(served.url + "/execution?" + urllib.parse.urlencode({"arn": arn}))
    assert '<span class="badge badge-failed">FAILED</span>' in body
    assert '<div class="error" role="alert"><strong>Boom</strong><p>&lt;b&gt;</p></div>' in body
    assert 'data-name="F" data-type="Fail" data-outcome="failed"' in body


def test_a_failed_execution_offers_redrive_and_the_form_redrives_it(
    served: RunningServer,
) -> None:
    sfn: Any = client(served.url)
    failing = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Again"}}}
    machine = sfn.create_state_machine(
        name="fails-again", definition=json.dumps(failing), roleArn=ROLE
    )["stateMachineArn"]
    arn = sfn.start_execution(stateMachineArn=machine, name="redriven")["executionArn"]
    finished(sfn, arn)
    page = served.url + "/execution?" + urllib.parse.urlencode({"arn": arn})
    button = '<form method="post" action="/execution/redrive">'
    assert button in get(page)[2]
    assert (
        button
        not in get(
            served.url
            + "/execution?"
            + urllib.parse.urlencode({"arn": execution(served, "not-redrivable", "{}")})
        )[2]
    )
    host = served.url.removeprefix("http://")
    request = urllib.request.Request(
        served.url + "/execution/redrive",
        data=urllib.parse.urlencode({"arn": arn}).encode(),
        headers={"Origin": f"http://{host}"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # follows the 303
        assert answer.url == page
    described = finished(sfn, arn)
    assert (described["status"], described["redriveCount"]) == ("FAILED", 1)
