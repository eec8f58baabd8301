"""The conformance corpus through `phalanx serve`: one server, many executions at once.

    python bench/conformance_api.py [--failures] [--workers N] [CASE_FILE_SUBSTRING ...]

Each case's machine is created through the API and its execution started
(StartExecution; StartSyncExecution for Express), all of a wave at once, then
read back with DescribeExecution and GetExecutionHistory and judged exactly as
`bench/conformance.py` judges an in-process run. The server runs on a virtual
clock starting 2024-01-01, as the in-process runs do.

Cases give their Lambda functions behaviours by name, and two cases may
give one name two behaviours: cases are grouped in waves whose names agree,
and the server imports the functions file of each wave (`--reload`).
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("conformance", ROOT / "bench" / "conformance.py")
assert _spec is not None and _spec.loader is not None
conformance = importlib.util.module_from_spec(_spec)
sys.modules["conformance"] = conformance
_spec.loader.exec_module(conformance)

ROLE = "arn:aws:iam::123456789012:role/conformance"
START_TIME = "2024-01-01T00:00:00Z"
FINISH_SECONDS = 300.0

FUNCTIONS = """
import json
import sys

sys.path.insert(0, {bench!r})
import phalanx
from conformance import double

for _name, _behaviour in json.loads({behaviours!r}).items():
    globals()["f_" + str(len(globals()))] = phalanx.function(
        double(_behaviour), name=_name, timeout=900
    )
"""


def waves(cases: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Cases grouped so that, within a group, each function name has one behaviour."""
    groups: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    for case in cases:
        wanted = case.get("lambda_behaviour") or {}
        for behaviours, members in groups:
            if all(behaviours.get(n, b) == b for n, b in wanted.items()):
                behaviours.update(wanted)
                members.append(case)
                break
        else:
            groups.append((dict(wanted), [case]))
    return [members for _, members in groups]


class Server:
    """`phalanx serve --virtual-clock --functions FILE --reload` on a free port."""

    def __init__(self, folder: Path) -> None:
        self.functions = folder / "functions.py"
        self.write_functions({})
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        command = [sys.executable, "-m", "phalanx", "serve", "--port", str(port)]
        self.process = subprocess.Popen(
            [
                *command,
                "--db",
                str(folder / "phalanx.db"),
                "--functions",
                str(self.functions),
                "--reload",
                "--virtual-clock",
                "--start-time",
                START_TIME,
                # The corpus was recorded in account 111111111111 (as phalanx.run() uses).
                "--account",
                "111111111111",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                self.call("ListStateMachines", {})
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"phalanx serve did not start: {self.stop()}") from None
                time.sleep(0.05)

    def write_functions(self, behaviours: dict[str, Any]) -> None:
        text = FUNCTIONS.format(bench=str(ROOT / "bench"), behaviours=json.dumps(behaviours))
        self.functions.write_text(text, encoding="utf-8")

    def load_wave(self, behaviours: dict[str, Any]) -> None:
        """Have the server import the functions of the next wave (it polls the file)."""
        before = self.functions.stat().st_mtime
        self.write_functions(behaviours)
        while self.functions.stat().st_mtime == before:  # a coarse mtime: write again
            time.sleep(0.05)
            self.write_functions(behaviours)
        time.sleep(2.5)  # the reload polls every second

    def call(self, operation: str, body: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(
            self.url,
            data=json.dumps(body).encode(),
            headers={
                "Content-Type": "application/x-amz-json-1.0",
                "X-Amz-Target": f"AWSStepFunctions.{operation}",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                answer: dict[str, Any] = json.loads(response.read())
                return answer
        except urllib.error.HTTPError as error:
            raise ApiFailure(json.loads(error.read())) from None

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        _, err = self.process.communicate(timeout=30)
        return err


class ApiFailure(Exception):
    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__(f"{body.get('__type')}: {body.get('message')}")
        self.body = body


def start(server: Server, index: int, case: dict[str, Any]) -> tuple[str, Any]:
    """Create the case's machine and start its execution: ("arn", ARN) or ("done", Execution)."""
    kind = case.get("state_machine_type", "STANDARD")
    try:
        created = server.call(
            "CreateStateMachine",
            {
                "name": f"case-{index}",
                "definition": json.dumps(case["definition"]),
                "roleArn": ROLE,
                "type": kind,
            },
        )
    except ApiFailure as failure:
        return "done", conformance.Execution("FAILED", None, "States.Runtime", str(failure), ())
    request: dict[str, Any] = {
        "stateMachineArn": created["stateMachineArn"],
        "input": case.get("input_text", json.dumps(case["input"])),
    }
    if case.get("execution_name"):
        request["name"] = case["execution_name"]
    try:
        if kind == "EXPRESS":
            answer = server.call("StartSyncExecution", request)
            return "done", _execution(answer, ())
        return "arn", server.call("StartExecution", request)["executionArn"]
    except ApiFailure as failure:
        return "done", conformance.Execution("FAILED", None, "States.Runtime", str(failure), ())


def _execution(described: dict[str, Any], history: tuple[dict[str, Any], ...]) -> Any:
    output = described.get("output")
    return conformance.Execution(
        described["status"],
        None if output is None else json.loads(output),
        described.get("error"),
        described.get("cause"),
        history,
    )


def finish(server: Server, arn: str, case: dict[str, Any]) -> Any:
    """The execution once it has ended, with its whole history."""
    deadline = time.monotonic() + FINISH_SECONDS
    while True:
        described = server.call("DescribeExecution", {"executionArn": arn})
        if described["status"] != "RUNNING":
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"{arn} still running")
        time.sleep(0.05)
    request = case["expected"].get("history_request") or {}
    events: list[dict[str, Any]] = []
    page: dict[str, Any] = {
        "executionArn": arn,
        "maxResults": 1000,
        "includeExecutionData": request.get("includeExecutionData", True),
    }
    while True:
        answer = server.call("GetExecutionHistory", page)
        events.extend(answer["events"])
        if "nextToken" not in answer:
            return _execution(described, tuple(events))
        page["nextToken"] = answer["nextToken"]


def run_cases(
    cases: list[dict[str, Any]], workers: int = 16
) -> list[tuple[dict[str, Any], dict[str, bool | None]]]:
    """Every case through one server; (case, verdict) in the order given."""
    verdicts: dict[int, dict[str, bool | None]] = {}
    numbered = {id(case): index for index, case in enumerate(cases)}
    with tempfile.TemporaryDirectory() as folder:
        server = Server(Path(folder))
        try:
            pool = concurrent.futures.ThreadPoolExecutor(workers)
            for wave in waves(cases):
                behaviours: dict[str, Any] = {}
                for case in wave:
                    behaviours.update(case.get("lambda_behaviour") or {})
                server.load_wave(behaviours)
                started = list(pool.map(lambda case: start(server, numbered[id(case)], case), wave))

                def verdict(pair: tuple[dict[str, Any], tuple[str, Any]]) -> None:
                    case, (kind, value) = pair
                    execution = value if kind == "done" else finish(server, value, case)
                    verdicts[numbered[id(case)]] = conformance.judge(case, execution)

                list(pool.map(verdict, zip(wave, started, strict=True)))
            pool.shutdown()
        finally:
            server.stop()
    return [(case, verdicts[index]) for index, case in enumerate(cases)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("filters", nargs="*")
    parser.add_argument("--failures", action="store_true")
    parser.add_argument("--workers", type=int, default=16)
    args = parser.parse_args(argv)
    paths = [
        p
        for p in conformance.case_files()
        if not args.filters or any(f in p.name for f in args.filters)
    ]
    cases = [conformance.load(p) for p in paths]
    began = time.monotonic()
    results = run_cases(cases, args.workers)
    seconds = time.monotonic() - began
    groups: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for case, verdict in results:
        for counter in (groups[case["group"]], groups["TOTAL"]):
            counter["cases"] += 1
            counter["passed"] += conformance.passed(verdict)
    for group in sorted(groups, key=lambda g: (g == "TOTAL", g)):
        counter = groups[group]
        rate = 100.0 * counter["passed"] / counter["cases"]
        print(f"{group:<20} {counter['cases']:>6} {counter['passed']:>7} {rate:>6.1f}%")
    print(f"{len(cases)} cases through one server in {seconds:.1f} s")
    if args.failures:
        for path, (_, verdict) in zip(paths, results, strict=True):
            if not conformance.passed(verdict):
                print(f"FAIL {path.name}: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
