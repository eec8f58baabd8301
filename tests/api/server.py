"""Start and stop a real `phalanx serve` process, and talk to it over HTTP."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import phalanx

SRC = Path(phalanx.__file__).resolve().parents[1]
READY_SECONDS = 30.0
STOP_SECONDS = 15.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RunningServer:
    process: subprocess.Popen[str]
    url: str
    db: Path

    def stop(self) -> tuple[int, str, str]:
        """SIGTERM, then wait; the exit status and what it printed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            out, err = self.process.communicate(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
        return self.process.returncode, out, err


def launch(db: Path, port: int | None = None, *extra: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, "-m", "phalanx", "serve", "--port", str(port or free_port())]
    return subprocess.Popen(
        [*command, "--db", str(db), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def start(db: Path, *extra: str) -> RunningServer:
    """A server on a free port, once it answers; fails with its stderr if it dies first.

    `extra` are more `phalanx serve` options (`--functions FILE.py`, ...).
    """
    port = free_port()
    process = launch(db, port, *extra)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + READY_SECONDS
    while True:
        try:
            post(url, "ListStateMachines", {})
            return RunningServer(process, url, db)
        except OSError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"phalanx serve did not answer: {process.communicate()[1]}")
        try:  # wait a little for the server, returning at once if it died
            process.wait(timeout=0.05)
        except subprocess.TimeoutExpired:
            continue
        raise RuntimeError(f"phalanx serve exited {process.returncode}: {process.communicate()[1]}")


def post(
    url: str,
    operation: str | None,
    body: Any,
    *,
    raw: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], dict[str, Any]]:
    """One JSON 1.0 call without an SDK: (status, headers, decoded body)."""
    data = raw if raw is not None else json.dumps(body).encode()
    sent = {"Content-Type": "application/x-amz-json-1.0", **(headers or {})}
    if operation is not None:
        sent["X-Amz-Target"] = f"AWSStepFunctions.{operation}"
    request = urllib.request.Request(url, data=data, headers=sent, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())
