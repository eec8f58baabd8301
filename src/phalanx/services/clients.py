"""The connection to AWS or an emulator: one boto3 session, one client per service.

    connection = connect(profile="dev", region="eu-west-1")            # real AWS
    connection = connect(endpoint_url="http://127.0.0.1:5000")         # moto, LocalStack

Credentials come from boto3's standard chain (environment, profile,
instance role); Phalanx never reads or prints them. boto3's own endpoint
variables are honoured: `AWS_ENDPOINT_URL_DYNAMODB=http://...` sends
DynamoDB there while `endpoint_url` (or `AWS_ENDPOINT_URL`) serves the rest,
so a user can mix an emulator for one service with AWS for the others.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from phalanx.errors import ServiceSetupError

INSTALL_HINT = "pip install 'phalanx[aws]'"


def import_boto3() -> Any:
    """boto3, or `ServiceSetupError` saying how to install it."""
    try:
        import boto3
    except ImportError:
        raise ServiceSetupError(
            f"Calling AWS services needs boto3, which is not installed: {INSTALL_HINT}"
        ) from None
    return boto3


def _endpoint_variable(service_id: str) -> str:
    """boto3's per-service variable: `EventBridge` -> `AWS_ENDPOINT_URL_EVENTBRIDGE`."""
    return "AWS_ENDPOINT_URL_" + service_id.upper().replace(" ", "_").replace("-", "_")


class Connection:
    """A boto3 session and the clients made from it, aimed at `endpoint_url` when given.

    Clients are made on first use and shared by the calls of an execution
    (boto3 clients are thread-safe; making one is not, hence the lock).
    """

    def __init__(self, session: Any, endpoint_url: str | None = None) -> None:
        self.session = session
        self.endpoint_url = endpoint_url
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    @property
    def region(self) -> str:
        return str(self.session.region_name or "us-east-1")

    @property
    def botocore_session(self) -> Any:
        return self.session._session

    def client(self, name: str) -> Any:
        """The boto3 client for `name` (`dynamodb`, `stepfunctions`, ...)."""
        with self._lock:
            client = self._clients.get(name)
            if client is None:
                client = self.session.client(name, region_name=self.region)
                service_id = client.meta.service_model.service_id
                if self.endpoint_url and not os.environ.get(_endpoint_variable(str(service_id))):
                    client = self.session.client(
                        name, region_name=self.region, endpoint_url=self.endpoint_url
                    )
                self._clients[name] = client
            return client


def connect(
    session: Any = None,
    *,
    profile: str | None = None,
    region: str | None = None,
    endpoint_url: str | None = None,
) -> Connection:
    """A `Connection` from a `boto3.Session`, or a new session for `profile`/`region`."""
    boto3 = import_boto3()
    if session is None:
        session = boto3.Session(profile_name=profile, region_name=region)
    elif region is not None and session.region_name != region:
        session = boto3.Session(
            botocore_session=session._session, region_name=region, profile_name=profile
        )
    return Connection(session, endpoint_url)
