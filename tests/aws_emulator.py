"""A moto server on loopback for tests that call AWS through boto3 (deploy, services).

Nothing reaches the internet: dummy credentials in the environment, the
server on 127.0.0.1 and a free port.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator

import pytest

REGION = "us-east-1"


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """Start a moto server with dummy credentials in the env; yields its URL."""
    from moto.server import ThreadedMotoServer

    patch = pytest.MonkeyPatch()
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        patch.setenv(name, value)
    patch.delenv("AWS_PROFILE", raising=False)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
        patch.undo()
