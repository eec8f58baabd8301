"""The one door to AWS: a boto3 session and the clock the waits use.

boto3 is untyped, so clients are `Any` here and nowhere else pretends
otherwise. Credentials come from boto3's standard chain (environment,
`--profile`, SSO, instance role); `endpoint_url` points every client at one
endpoint (moto's server in tests, LocalStack, ...).
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable, Iterator
from typing import Any

from phalanx.deploy.errors import DeployError, explain


@dataclasses.dataclass(frozen=True)
class Pace:
    """How waits pass time: polling interval, a clock and a sleep (fakes in tests)."""

    interval: float = 2.0
    timeout: float = 3600.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


@dataclasses.dataclass(frozen=True)
class Connection:
    """Where and as whom to call AWS."""

    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    pace: Pace = dataclasses.field(default_factory=Pace)
    # Clients by service, made on first use; tests may pass fakes here.
    clients: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False, compare=False)

    def client(self, service: str) -> Any:
        """A boto3 client for `service`, made once per connection."""
        if service not in self.clients:
            boto3 = import_boto3()
            with aws_errors():
                session = boto3.session.Session(profile_name=self.profile, region_name=self.region)
                if session.region_name is None:
                    raise DeployError("no AWS region: pass --region or set AWS_REGION")
                try:
                    client = session.client(service, endpoint_url=self.endpoint_url)
                except ValueError as error:
                    # botocore raises a builtin ValueError for "Invalid endpoint: ..."
                    if "endpoint" not in str(error).lower():
                        raise
                    raise DeployError(
                        f"--endpoint-url {self.endpoint_url!r} is not a URL "
                        "(expected http://host:port or https://host)"
                    ) from error
                self.clients[service] = client
        return self.clients[service]

    @property
    def region_name(self) -> str:
        return str(self.client("sts").meta.region_name)


INSTALL_HINT = "phalanx deploy commands need boto3: pip install 'phalanx[deploy]'"


def import_boto3() -> Any:
    """boto3, or a `DeployError` naming the extra that installs it (never a traceback)."""
    try:
        import boto3
        import boto3.session
    except ImportError as error:
        if (error.name or "").split(".")[0] not in ("boto3", "botocore"):
            raise
        raise DeployError(INSTALL_HINT) from None
    return boto3


def is_aws_error(error: BaseException) -> bool:
    """An exception raised by botocore or boto3 (their types stay behind this module)."""
    return type(error).__module__.split(".")[0] in ("botocore", "boto3")


@contextlib.contextmanager
def aws_errors() -> Iterator[None]:
    """Turn botocore's exceptions into `DeployError` with a one-line explanation."""
    try:
        yield
    except Exception as error:
        if is_aws_error(error):
            raise DeployError(explain(error)) from error
        raise


def error_code(error: BaseException | None) -> str:
    """The AWS error code of a botocore `ClientError` (empty for anything else)."""
    response = getattr(error, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))
