"""The console in a real browser: start roll-die with the fixed die, watch it, stop one.

The fixed die rolls 2, 3, 5, so the path is known: lambdaRollDie, checkRoll,
tryAgainShortly twice round the loop, then success. Its roll of 5 waits at a
gate the test opens, which is when the "running" screenshot is taken.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.console.browser import accessibility_problems, images_folder
from tests.console.conftest import DieServer

GRAPH = "#execution-graph svg"
TIMES = "\N{MULTIPLICATION SIGN}"


def _node(page: Any, name: str) -> Any:
    return page.locator(f'{GRAPH} g.node[data-name="{name}"]')


def _start_with_keyboard(page: Any, name: str, text: str) -> None:
    page.fill("#execution-name", name)
    page.fill("#execution-input", text)
    page.focus("#execution-input")
    page.keyboard.press("Tab")  # the Start button is the next stop
    assert page.evaluate("document.activeElement.textContent") == "Start execution"
    page.keyboard.press("Enter")


def test_watching_roll_die_shows_the_path_it_takes(
    page: Any, die_server: DieServer, tmp_path: Path
) -> None:
    images = images_folder(tmp_path)
    page.goto(die_server.url + "/")
    assert accessibility_problems(page) == []
    page.get_by_role("link", name="RollDie").click()
    assert page.locator('svg g.node[data-name="lambdaRollDie"]').count() == 1
    assert accessibility_problems(page) == []
    page.screenshot(path=images / "console_machine.png", full_page=True)

    # Input that is not JSON is refused in the page, beside its field, and not sent.
    page.fill("#execution-input", '{"comment": ')
    page.get_by_role("button", name="Start execution").click()
    assert "The input is not JSON" in page.inner_text("#execution-input-error")
    assert page.get_attribute("#execution-input", "aria-invalid") == "true"
    assert page.url.endswith("RollDie")
    assert accessibility_problems(page) == []  # the error's colour too

    _start_with_keyboard(page, "fixed-die", '{"comment": "a fixed die"}')
    page.wait_for_url("**/execution?arn=*")
    # The third roll waits at the gate: the loop has gone round twice.
    page.wait_for_selector(
        f'{GRAPH} g.node[data-name="lambdaRollDie"][data-outcome="running"]'
        '[aria-label*="steps 1, 4, 7"]'
    )
    assert _node(page, "tryAgainShortly").get_attribute("data-outcome") == "succeeded"
    assert _node(page, "success").get_attribute("data-outcome") == "not reached"
    assert page.get_by_role("button", name="Stop execution").is_visible()
    assert accessibility_problems(page) == []
    page.screenshot(path=images / "console_running.png", full_page=True)

    die_server.release()
    page.wait_for_selector("#execution-summary .badge-succeeded")
    outcomes = {
        name: _node(page, name).get_attribute("data-outcome")
        for name in ("lambdaRollDie", "checkRoll", "tryAgainShortly", "success")
    }
    assert outcomes == dict.fromkeys(outcomes, "succeeded")
    assert f"succeeded {TIMES}3" in _node(page, "lambdaRollDie").get_attribute("aria-label")
    assert f"succeeded {TIMES}2" in _node(page, "tryAgainShortly").get_attribute("aria-label")
    visits = page.locator("#execution-states details.visit h3").all_inner_texts()
    assert visits == [
        *["lambdaRollDie", "checkRoll", "tryAgainShortly"] * 2,
        "lambdaRollDie",
        "checkRoll",
        "success",
    ]
    assert '"roll": 5' in page.inner_text("#execution-summary")
    assert page.get_by_role("button", name="Stop execution").count() == 0
    assert page.inner_text("#live-note") == "Execution ended."
    assert accessibility_problems(page) == []
    page.screenshot(path=images / "console_succeeded.png", full_page=True)

    page.get_by_role("link", name="State machines").click()
    assert page.get_by_role("link", name="fixed-die").is_visible()


def test_the_stop_button_aborts_a_running_execution(page: Any, die_server: DieServer) -> None:
    page.goto(die_server.url + "/")
    page.get_by_role("link", name="RollDie").click()
    _start_with_keyboard(page, "to-stop", "{}")
    page.wait_for_selector(f'{GRAPH} g.node[data-name="lambdaRollDie"][data-outcome="running"]')
    page.focus("text=Stop execution")
    page.keyboard.press("Enter")
    page.wait_for_selector("#execution-summary .badge-aborted")
    assert "ExecutionAborted" in page.inner_text("#execution-events")
    assert _node(page, "success").get_attribute("data-outcome") == "not reached"


def test_the_server_refuses_what_the_page_would_not_send(page: Any, die_server: DieServer) -> None:
    page.goto(die_server.url + "/")
    page.get_by_role("link", name="RollDie").click()
    page.evaluate("document.getElementById('start-form').noValidate = true")
    page.evaluate(  # skip the page's own check, as a client without the script would
        "const f = document.getElementById('start-form');"
        "f.elements.name.value = 'has space'; HTMLFormElement.prototype.submit.call(f)"
    )
    page.wait_for_load_state()
    assert "InvalidName" in page.inner_text("#execution-name-error")
    assert page.get_attribute("#execution-name", "aria-invalid") == "true"
    assert page.input_value("#execution-name") == "has space"
