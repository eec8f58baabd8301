"""What an operation handler is given: the store, the clock, and who is asking where."""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass, field

from phalanx.api.targets import Targets
from phalanx.errors import PhalanxError
from phalanx.runtime.clock import Clock, RealClock
from phalanx.runtime.durable import Runtime
from phalanx.store import Database

DEFAULT_ACCOUNT = "123456789012"
"""The account in every ARN, as Step Functions Local uses."""
DEFAULT_REGION = "us-east-1"
"""The region when a request is not signed (the signature's scope names it otherwise)."""


@dataclass(frozen=True, slots=True)
class Service:
    """One server's shared parts."""

    db: Database
    clock: Clock = field(default_factory=RealClock)
    account: str = DEFAULT_ACCOUNT
    runtime: Runtime | None = None
    """Runs executions; None where a Service only manages definitions (some tests)."""
    targets: Targets = field(default_factory=Targets)
    """What StartExecution resolved, kept until machines, versions or aliases change."""


@dataclass(frozen=True, slots=True)
class Context:
    """One request's view: the region comes from its SigV4 credential scope."""

    service: Service
    region: str = DEFAULT_REGION

    @property
    def db(self) -> Database:
        return self.service.db

    @property
    def runtime(self) -> Runtime:
        runtime = self.service.runtime
        if runtime is None:
            raise PhalanxError("this server runs no executions (no runtime)")
        return runtime

    @property
    def account(self) -> str:
        return self.service.account

    def changing_machines(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """A write transaction on machines, versions or aliases (StartExecution re-reads them)."""
        return self.service.targets.changing(self.service.db)

    def now(self) -> float:
        """Epoch seconds, to the millisecond AWS shows."""
        return round(self.service.clock.now(), 3)

    def arn(self, resource_type: str, name: str) -> str:
        return f"arn:aws:states:{self.region}:{self.account}:{resource_type}:{name}"

    def arn_prefix(self, resource_type: str) -> str:
        """What every ARN of `resource_type` in this region and account starts with."""
        return self.arn(resource_type, "")
