"""A real `phalanx serve` with the fixed die, and a headless browser to look at its console."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.api.server import RunningServer, start
from tests.console.browser import browser_page

FIXED_DIE = Path(__file__).with_name("fixed_die.py")
START_TIME = "2026-12-06T12:00:00Z"


@dataclass
class DieServer:
    """The server, and the gate each roll of 5 waits at: `release()` lets one through."""

    server: RunningServer
    gate: int

    @property
    def url(self) -> str:
        return self.server.url

    def release(self) -> None:
        os.write(self.gate, b"go\n")


@pytest.fixture
def die_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DieServer]:
    gate = tmp_path / "gate"
    os.mkfifo(gate)
    # Read-write: never blocks, and keeps the FIFO open so lines written wait for the reader.
    held = os.open(gate, os.O_RDWR | os.O_NONBLOCK)
    monkeypatch.setenv("PHALANX_DIE_GATE", str(gate))
    running = start(
        tmp_path / "phalanx.db",
        "--functions",
        str(FIXED_DIE),
        "--virtual-clock",
        "--start-time",
        START_TIME,
    )
    try:
        yield DieServer(running, held)
    finally:
        for _ in range(4):  # let any roll still waiting finish, so the server stops at once
            os.write(held, b"go\n")
        running.stop()
        os.close(held)


@pytest.fixture
def page() -> Iterator[Any]:
    yield from browser_page()
