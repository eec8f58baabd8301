"""What `phalanx serve --functions FILE.py --mock-config FILE` brings to the server.

* every `phalanx.function` of FILE.py runs in-process for Task states that
  call `arn:aws:lambda:<any region>:<any account>:function:<name>` or
  `lambda:invoke` with that FunctionName;
* every machine of FILE.py is created in the store (with its declared type),
  or updated when its definition changed;
* `--reload` imports FILE.py again when it changes: executions started from
  then on call the new code, running ones keep the code they started with;
* a MockConfigFile answers the states of a test case for executions started
  as `<machineArn>#<TestCase>`, as in Step Functions Local.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from phalanx.api import machines as machine_operations
from phalanx.api.context import Context
from phalanx.api.errors import ApiError
from phalanx.asl import StateMachine
from phalanx.errors import LoadError
from phalanx.loading.modules import load_module
from phalanx.runtime.clock import Clock
from phalanx.runtime.durable import MockLookup, Runtime
from phalanx.runtime.lambdas import FunctionInvoker
from phalanx.runtime.mocks import StateMocks
from phalanx.store import machines as machine_rows

MOCK_CONFIG_VARIABLE = "SFN_MOCK_CONFIG"
"""Step Functions Local's environment variable naming the MockConfigFile."""
RELOAD_POLL_SECONDS = 1.0
LOCAL_ROLE = "arn:aws:iam::123456789012:role/phalanx-local"


def mock_lookup(path: Path | None) -> MockLookup | None:
    """Test cases of the MockConfigFile at `path` (or `$SFN_MOCK_CONFIG`), by machine name."""
    if path is None:
        named = os.environ.get(MOCK_CONFIG_VARIABLE)
        path = Path(named) if named else None
    if path is None:
        return None
    from phalanx.testing import MockConfigFile

    config = MockConfigFile.load(path)  # read once: a file that does not load stops serve

    def lookup(machine_name: str, test_case: str) -> StateMocks:
        return StateMocks(config.test_case(machine_name, test_case))

    return lookup


class Functions:
    """The functions and machines of one FILE.py, imported again on `reload()`."""

    def __init__(self, file: Path, clock: Clock) -> None:
        self.file = file
        self.clock = clock
        self.machines: dict[str, StateMachine] = {}
        self.invoker = FunctionInvoker({}, clock)
        self._stamp = 0.0
        self.load()

    def load(self) -> None:
        """Import FILE.py (`LoadError` if it does not import)."""
        self._stamp = self.file.stat().st_mtime
        self.machines, functions = load_module(self.file)
        self.invoker = FunctionInvoker(functions, self.clock)

    def install(self, context: Context) -> None:
        """Create (or update) FILE.py's machines in the store (`LoadError` if AWS would refuse)."""
        for name, machine in self.machines.items():
            try:
                self._install(context, name, machine)
            except ApiError as error:
                raise LoadError(
                    f"machine {name!r}: {error.code}: {error.message}", file=str(self.file)
                ) from None

    def _install(self, context: Context, name: str, machine: StateMachine) -> None:
        definition = machine.to_json(indent=None)
        arn = context.arn("stateMachine", name)
        with context.db.atomic(write=False) as connection:
            existing = machine_rows.get(connection, arn)
        if existing is None:
            request = {
                "name": name,
                "definition": definition,
                "roleArn": LOCAL_ROLE,
                "type": machine.type or "STANDARD",
            }
            machine_operations.create(context, request)
        elif existing.definition != definition:
            update = {"stateMachineArn": arn, "definition": definition}
            machine_operations.update(context, update)

    def changed(self) -> bool:
        try:
            return self.file.stat().st_mtime != self._stamp
        except OSError:
            return False


def watch(
    functions: Functions,
    runtime: Runtime,
    context: Context,
    stopped: threading.Event,
    report: Callable[[str], None] = lambda text: print(text, file=sys.stderr),
) -> threading.Thread:
    """`--reload`: a thread importing FILE.py again whenever it changes."""

    def loop() -> None:
        while not stopped.wait(RELOAD_POLL_SECONDS):
            if not functions.changed():
                continue
            try:
                functions.load()
                functions.install(context)
            except Exception as error:  # a broken edit: keep serving the old code
                report(f"reload of {functions.file} failed: {error}")
                continue
            runtime.invoker = functions.invoker
            report(f"reloaded {functions.file}")

    thread = threading.Thread(target=loop, name="phalanx-reload", daemon=True)
    thread.start()
    return thread
