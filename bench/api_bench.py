"""The Step Functions API of `phalanx serve` against moto's server, in one run.

    python bench/api_bench.py [--quick] [--count N] [--threads N] [--profile FILE]

Both servers are real processes on free loopback ports, driven by the same
boto3 client code (one shared client, several threads):

  (1) throughput: the Pass+Choice loop of bench/engine_bench.py (1,000
      iterations), `--concurrent` executions at once, timed from the first
      StartExecution until DescribeExecution shows every one ended (Phalanx:
      committed to its SQLite store). A transition is a state entered, counted
      in each execution's history.
  (2) StartExecution round trips per second on a machine that is a single
      Pass state: from one boto3 client, one thread then `--threads`
      threads; then from `--processes` client processes at once (boto3 in
      one process is bound by the GIL to well under 1,000 calls/s on a small
      machine, whatever the server), each with `--threads` threads; then
      from a lean keep-alive HTTP client sending the same JSON 1.0 requests
      (`http.client`, `--processes` processes), which shows what the server
      itself can take.
  (3) parked: `--count` executions (100,000 by default) parked on one Wait
      that ends at the same moment for all, chosen from the start rate just
      measured so that every execution is started before it; then the
      server's peak RSS (VmHWM), how long after the Wait's end every
      execution has SUCCEEDED (counted in Phalanx's store, read-only beside
      it, and through moto's ListExecutions), and how long one
      ListExecutions page takes then. Phalanx runs on the real clock (its
      virtual clock would end the Wait whenever the scheduler idles between
      two starts). moto runs a thread per execution, so it parks
      `--moto-count` of them (2,000 by default); compare the RSS per parked
      execution.

The last lines give the ceiling of the client itself: the same boto3 calls
against a stdlib server that answers at once, measured in the same run.

Prints `measure | Phalanx | moto | ratio` (ratio = Phalanx / moto; for memory
and seconds lower is better). moto is started as the issue says:
`MOTO_ACCOUNT_ID=111111111111 moto_server`, with
`{"stepfunctions": {"execute_state_machine": true}}` posted to
`/moto-api/config` so that it really runs executions. No number is asserted.

`--profile FILE` runs the Phalanx servers under cProfile, every thread
(scheduler, request threads, workers), and writes their merged stats to
FILE.rates.prof and FILE.parked.prof (and the top functions to .prof.txt)
when each server stops.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import contextlib
import cProfile
import datetime
import http.client
import importlib.util
import json
import os
import pstats
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT = "111111111111"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/bench"
READY_SECONDS = 60.0
STOP_SECONDS = 60.0
POLL_SECONDS = 0.01

PARKED = {
    "StartAt": "Park",
    "States": {"Park": {"Type": "Wait", "TimestampPath": "$.until", "End": True}},
}
ONE_PASS = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}


def loop(n: int) -> dict[str, Any]:
    """The Pass+Choice loop of bench/engine_bench.py (`loop`), counting to `n`."""
    spec = importlib.util.spec_from_file_location(
        "engine_bench", Path(__file__).parent / "engine_bench.py"
    )
    assert spec is not None and spec.loader is not None
    engine_bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(engine_bench)
    definition: dict[str, Any] = engine_bench.loop(n)[0]
    return definition


# -- the servers -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """A server process on a free loopback port; `stop()` always ends it."""

    def __init__(
        self, name: str, command: list[str], port: int, env: dict[str, str], errors: IO[bytes]
    ) -> None:
        self.name = name
        self.url = f"http://127.0.0.1:{port}"
        self.errors = errors  # a file, not a pipe: a pipe nobody reads fills and blocks it
        self.cpu_per_call = 0.0
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=self.errors,
            env=env,
            start_new_session=True,  # its threads and children are stopped with it
        )

    @classmethod
    def at(cls, url: str) -> Server:
        """A server started elsewhere (a client process knows only its URL)."""
        server = cls.__new__(cls)
        server.name, server.url = "server", url
        return server

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_SECONDS
        while True:
            try:
                with socket.create_connection(("127.0.0.1", int(self.url.rsplit(":", 1)[1])), 1):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{self.name} did not start:\n{self.stop()}") from None
                time.sleep(0.05)

    def memory_kib(self, field: str) -> int:
        """`VmHWM` (peak resident set) or `VmRSS` of the process, in KiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        raise RuntimeError(f"no {field} in /proc/{self.process.pid}/status")

    def cpu_seconds(self) -> float:
        """User and system CPU the process (all its threads) has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> str:
        """SIGTERM (SIGKILL if it lingers); what it wrote on stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.errors.seek(0)
        return self.errors.read().decode(errors="replace")[-4000:]


@contextlib.contextmanager
def running(name: str, command: list[str], port: int, env: dict[str, str]) -> Iterator[Server]:
    """The server, once it accepts connections; stopped on the way out, whatever happened."""
    with tempfile.TemporaryFile() as errors:
        server = Server(name, command, port, env, errors)
        try:
            server.wait_ready()
            yield server
        finally:
            text = server.stop()
            if server.process.returncode not in (0, -signal.SIGTERM):
                print(f"{name} exited {server.process.returncode}:\n{text}", file=sys.stderr)


@contextlib.contextmanager
def phalanx_server(folder: Path, profile: Path | None = None) -> Iterator[Server]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    serve = ["serve", "--port", str(port), "--db", str(folder / "phalanx.db")]
    serve += ["--account", ACCOUNT]
    if profile is None:
        command = [sys.executable, "-m", "phalanx", *serve]
    else:
        command = [sys.executable, __file__, "--serve-profiled", str(profile), "--", *serve]
    with running("phalanx serve", command, port, env) as server:
        yield server


@contextlib.contextmanager
def moto_server() -> Iterator[Server]:
    port = free_port()
    env = {**os.environ, "MOTO_ACCOUNT_ID": ACCOUNT}
    command = [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1"]
    with running("moto_server", [*command, "-p", str(port)], port, env) as server:
        request = urllib.request.Request(
            f"{server.url}/moto-api/config",
            data=json.dumps({"stepfunctions": {"execute_state_machine": True}}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()
        yield server


EMPTY_SERVER = """
import http.server, json, sys

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        body = json.dumps({"executionArn": "arn:aws:states:us-east-1:1:execution:x:y",
                           "startDate": 1.0}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""
"""A stdlib HTTP server answering every call with a StartExecution reply: the client's ceiling."""


@contextlib.contextmanager
def empty_server() -> Iterator[Server]:
    port = free_port()
    command = [sys.executable, "-c", EMPTY_SERVER, str(port)]
    with running("empty server", command, port, dict(os.environ)) as server:
        yield server


def client(server: Server, threads: int) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "stepfunctions",
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
        config=Config(
            inject_host_prefix=False,
            max_pool_connections=threads + 2,
            retries={"mode": "standard", "max_attempts": 3},
            read_timeout=120,
        ),
    )


def create(sfn: Any, name: str, definition: dict[str, Any]) -> str:
    created = sfn.create_state_machine(
        name=name, definition=json.dumps(definition), roleArn=ROLE, type="STANDARD"
    )
    arn: str = created["stateMachineArn"]
    return arn


def in_threads(threads: int, count: int, work: Callable[[int], Any]) -> list[Any]:
    """`work(0)` ... `work(count - 1)` from `threads` threads; their results in order.

    Each thread takes the next index in turn (no future per call: 100,000 of them
    would weigh more than the server measured).
    """
    results: list[Any] = [None] * count
    indices = iter(range(count))
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                i = next(indices, None)
            if i is None:
                return
            results[i] = work(i)

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        for running in [pool.submit(worker) for _ in range(threads)]:
            running.result()
    return results


CLIENT_KINDS = ("boto3", "http")


def client_worker(kind: str, url: str, machine: str, count: int, threads: int) -> None:
    """A client process: warm up, say `ready`, wait for `go`, make `count` StartExecution
    calls from `threads` threads, say `done`. What `start_rate_processes` runs."""
    if kind == "boto3":
        sfn = client(Server.at(url), threads)

        def call(i: int) -> None:
            sfn.start_execution(stateMachineArn=machine, name=unique())

    else:
        local = threading.local()
        address = url.removeprefix("http://")
        headers = {
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "AWSStepFunctions.StartExecution",
            "Authorization": "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/states/"
            "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
            "Signature=0",
            "X-Amz-Date": "20260101T000000Z",
        }

        def call(i: int) -> None:
            connection = getattr(local, "connection", None)
            if connection is None:
                connection = local.connection = http.client.HTTPConnection(address, timeout=120)
            body = json.dumps({"stateMachineArn": machine, "name": unique()})
            connection.request("POST", "/", body, headers)
            answer = connection.getresponse()
            text = answer.read()
            if answer.status != 200:
                raise RuntimeError(f"StartExecution answered {answer.status}: {text[:300]!r}")

    in_threads(threads, threads, call)  # not timed: connections opened, models loaded
    print("ready", flush=True)
    sys.stdin.readline()
    in_threads(threads, count, call)
    print("done", flush=True)


def start_rate_processes(
    server: Server, machine: str, kind: str, starts: int, processes: int, threads: int
) -> float:
    """StartExecution calls per second from `processes` client processes started together."""
    command = [sys.executable, __file__, "--client-worker", kind, server.url, machine]
    workers = [
        subprocess.Popen(
            [*command, str(starts // processes), str(threads)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
        for _ in range(processes)
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None
            if worker.stdout.readline().strip() != "ready":
                raise RuntimeError(f"a {kind} client process failed (exit {worker.wait()})")
        began, cpu = time.perf_counter(), server.cpu_seconds()
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        for worker in workers:
            assert worker.stdout is not None
            if worker.stdout.readline().strip() != "done":
                raise RuntimeError(f"a {kind} client process failed (exit {worker.wait()})")
        seconds = time.perf_counter() - began
        calls = processes * (starts // processes)
        server.cpu_per_call = (server.cpu_seconds() - cpu) / calls
        return calls / seconds
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
            worker.wait()


def unique() -> str:
    """An execution name: moto's server, asked to name concurrent starts, names them all
    `None` (one ARN for several executions), so names are always given."""
    return uuid.uuid4().hex


def wait_ended(sfn: Any, arns: list[str], timeout: float) -> list[dict[str, Any]]:
    """DescribeExecution of each once it has ended; TimeoutError after `timeout` s."""
    deadline = time.monotonic() + timeout
    ended: dict[str, dict[str, Any]] = {}
    while len(ended) < len(arns):
        for arn in arns:
            if arn not in ended:
                described = sfn.describe_execution(executionArn=arn)
                if described["status"] != "RUNNING":
                    ended[arn] = described
        if len(ended) < len(arns):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(arns) - len(ended)} executions still RUNNING")
            time.sleep(POLL_SECONDS)
    return [ended[arn] for arn in arns]


def states_entered(sfn: Any, arn: str) -> int:
    entered = 0
    page: dict[str, Any] = {"executionArn": arn, "maxResults": 1000}
    while True:
        answer = sfn.get_execution_history(**page)
        entered += sum(1 for e in answer["events"] if e["type"].endswith("StateEntered"))
        if "nextToken" not in answer:
            return entered
        page["nextToken"] = answer["nextToken"]


StatusCounts = Callable[[str], dict[str, int]]
"""A machine's ARN -> how many of its executions are in each status."""


def listed(sfn: Any) -> StatusCounts:
    """Counted through ListExecutions (moto: its executions live in its memory).

    Unfiltered pages: moto's next token under a `statusFilter` is an index into
    the filtered list, which shrinks as executions end (`InvalidToken`).
    """

    def counts(machine: str) -> dict[str, int]:
        found: collections.Counter[str] = collections.Counter()
        page: dict[str, Any] = {"stateMachineArn": machine, "maxResults": 1000}
        while True:
            answer = sfn.list_executions(**page)
            found.update(e["status"] for e in answer["executions"])
            if "nextToken" not in answer:
                return dict(found)
            page["nextToken"] = answer["nextToken"]

    return counts


def stored(db: Path) -> StatusCounts:
    """Counted in Phalanx's SQLite file, read-only beside the server (a WAL reader never
    holds up its writer): ListExecutions decodes every execution of the machine to answer
    one page, which with 100,000 of them would measure ListExecutions, not the drain."""

    def counts(machine: str) -> dict[str, int]:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
            found = connection.execute(
                "SELECT status, COUNT(*) FROM executions WHERE machine_arn = ? GROUP BY status",
                (machine,),
            )
            return {str(status): int(n) for status, n in found}

    return counts


# -- the measures ----------------------------------------------------------------------


def throughput(sfn: Any, iterations: int, concurrent: int, timeout: float) -> tuple[float, int]:
    """Transitions per second of `concurrent` loops at once, and the transitions counted."""
    machine = create(sfn, f"loop-{iterations}-{concurrent}", loop(iterations))
    began = time.perf_counter()
    arns = in_threads(
        concurrent,
        concurrent,
        lambda i: sfn.start_execution(stateMachineArn=machine, name=unique())["executionArn"],
    )
    ended = wait_ended(sfn, arns, timeout)
    seconds = time.perf_counter() - began
    bad = [d["status"] for d in ended if d["status"] != "SUCCEEDED"]
    if bad:
        raise RuntimeError(f"loop executions ended {bad}")
    transitions = sum(states_entered(sfn, arn) for arn in arns)
    return transitions / seconds, transitions


def start_rate(server: Server, sfn: Any, machine: str, starts: int, threads: int) -> float:
    """StartExecution round trips per second from `threads` threads sharing `sfn`.

    Also sets `server.cpu_per_call`: the server's CPU seconds per call, which
    says whether the server or the client (same machine) is the limit.
    """
    # Not timed: a client's first calls load its models and open its connections.
    in_threads(
        threads, threads, lambda i: sfn.start_execution(stateMachineArn=machine, name=unique())
    )
    began, cpu = time.perf_counter(), server.cpu_seconds()
    in_threads(
        threads,
        starts,
        lambda i: sfn.start_execution(stateMachineArn=machine, name=unique()) and None,
    )
    seconds = time.perf_counter() - began
    server.cpu_per_call = (server.cpu_seconds() - cpu) / starts
    return starts / seconds


def parked(
    server: Server,
    count: int,
    threads: int,
    rate: float,
    timeout: float,
    statuses: Callable[[Any], StatusCounts],
) -> dict[str, float]:
    """Park `count` executions on one Wait; memory, and how soon they all end after it."""
    sfn = client(server, threads)
    counts = statuses(sfn)
    machine = create(sfn, "parked", PARKED)
    baseline = server.memory_kib("VmRSS")
    margin = 1.5 * count / rate + 5.0  # every start before the Wait ends, with room
    until = time.time() + margin
    stamp = datetime.datetime.fromtimestamp(until, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    until = datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S%z").timestamp()  # whole second
    text = json.dumps({"until": stamp})
    began = time.perf_counter()
    in_threads(
        threads,
        count,
        lambda i: sfn.start_execution(stateMachineArn=machine, name=unique(), input=text) and None,
    )
    start_seconds = time.perf_counter() - began
    early = counts(machine).get("SUCCEEDED", 0)
    rss_parked = server.memory_kib("VmRSS")
    deadline = max(time.time(), until) + timeout
    while counts(machine).get("RUNNING", 0):
        if time.time() > deadline:
            raise TimeoutError(f"parked executions still RUNNING {timeout:.0f} s after the Wait")
        time.sleep(0.2)
    finished_after = time.time() - until
    succeeded = counts(machine).get("SUCCEEDED", 0)
    peak = server.memory_kib("VmHWM")
    listing = time.perf_counter()
    sfn.list_executions(stateMachineArn=machine, maxResults=1000)
    list_seconds = time.perf_counter() - listing
    sfn.close()
    return {
        "count": count,
        "start_seconds": start_seconds,
        "ended_before_last_start": early,
        "rss_parked_mib": rss_parked / 1024,
        "peak_mib": peak / 1024,
        "kib_each": (peak - baseline) / count,
        "finished_after": finished_after,
        "succeeded": succeeded,
        "list_ms": 1000 * list_seconds,
    }


# -- the table ---------------------------------------------------------------------------


def row(measure: str, ours: float, theirs: float | None, shown: str = "{:,.0f}") -> None:
    moto_text = "-" if theirs is None else shown.format(theirs)
    ratio = "-" if not theirs else f"{ours / theirs:.2f}x"
    print(f"{measure:<44} {shown.format(ours):>12} {moto_text:>12} {ratio:>9}", flush=True)


def profiled(args: argparse.Namespace, part: str) -> Path | None:
    """Where the profile of the Phalanx server of `part` goes, if `--profile` asks for one."""
    return None if args.profile is None else args.profile.with_suffix(f".{part}.prof")


def compare_rates(
    args: argparse.Namespace, sizes: dict[str, Any]
) -> dict[str, dict[int | str, float]]:
    """Rows (1) and (2); the StartExecution rates by server and threads."""
    iterations, starts, threads = sizes["iterations"], sizes["starts"], args.threads
    rates: dict[str, dict[int | str, float]] = {"ours": {}, "moto": {}, "ceiling": {}}
    cpu: dict[str, dict[int | str, float]] = {"ours": {}, "moto": {}}
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        servers = {
            "ours": stack.enter_context(phalanx_server(Path(folder), profiled(args, "rates"))),
            "moto": stack.enter_context(moto_server()),
        }
        clients = {name: client(server, threads) for name, server in servers.items()}
        loops = {
            name: throughput(sfn, iterations, args.concurrent, sizes["timeout"])
            for name, sfn in clients.items()
        }
        label = f"loop {iterations}: transitions/s ({args.concurrent} at once, {loops['ours'][1]})"
        row(label, loops["ours"][0], loops["moto"][0])
        for name, sfn in clients.items():
            machine = create(sfn, "one-pass", ONE_PASS)
            for n in (1, threads):
                rates[name][n] = start_rate(servers[name], sfn, machine, starts, n)
                cpu[name][n] = 1000 * servers[name].cpu_per_call
            for kind in CLIENT_KINDS:
                rates[name][kind] = start_rate_processes(
                    servers[name], machine, kind, starts, args.processes, threads
                )
                cpu[name][kind] = 1000 * servers[name].cpu_per_call
            sfn.close()
    with empty_server() as server:
        sfn = client(server, threads)
        for n in (1, threads):
            rates["ceiling"][n] = start_rate(server, sfn, "arn:aws:states:::x", starts, n)
        rates["ceiling"]["boto3"] = start_rate_processes(
            server, "arn:aws:states:::x", "boto3", starts, args.processes, threads
        )
        sfn.close()
    labels: dict[int | str, str] = {
        n: f"StartExecution/s ({n} thread{'s' * (n > 1)}, {starts} calls)" for n in (1, threads)
    }
    labels["boto3"] = f"StartExecution/s (boto3, {args.processes} proc x {threads} threads)"
    labels["http"] = f"StartExecution/s (keep-alive HTTP, {args.processes} x {threads})"
    for key, label in labels.items():
        row(label, rates["ours"][key], rates["moto"][key])
        cpu_label = "  server CPU per call (ms, all its threads)"
        row(cpu_label, cpu["ours"][key], cpu["moto"][key], "{:.2f}")
    return rates


def compare_parked(args: argparse.Namespace, sizes: dict[str, Any], rates: Any) -> None:
    """Rows (3): parked executions on each server."""
    count, timeout, threads = sizes["count"], sizes["timeout"], args.threads
    profile = profiled(args, "parked")
    with tempfile.TemporaryDirectory() as folder, phalanx_server(Path(folder), profile) as server:
        db = stored(Path(folder) / "phalanx.db")
        ours = parked(server, count, threads, rates["ours"][threads], timeout, lambda sfn: db)
    with moto_server() as server:
        moto_count = sizes["moto_count"]
        moto = parked(server, moto_count, threads, rates["moto"][threads], timeout, listed)
    for label, key, shown in (
        ("parked on one Wait: executions", "count", "{:,.0f}"),
        ("  seconds to start them all", "start_seconds", "{:,.1f}"),
        ("  ended before the last start (want 0)", "ended_before_last_start", "{:,.0f}"),
        ("  RSS once all parked (MiB)", "rss_parked_mib", "{:,.1f}"),
        ("  peak RSS, VmHWM (MiB; target < 1024)", "peak_mib", "{:,.1f}"),
        ("  peak RSS per parked execution (KiB)", "kib_each", "{:,.2f}"),
        ("  all SUCCEEDED, s after the Wait ended", "finished_after", "{:,.1f}"),
        ("  SUCCEEDED", "succeeded", "{:,.0f}"),
        ("  then ListExecutions, first 1000 (ms)", "list_ms", "{:,.0f}"),
    ):
        row(label, ours[key], moto[key], shown)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--count", type=int, help="parked executions (default 100000)")
    parser.add_argument("--moto-count", type=int, help="parked executions on moto (2000)")
    parser.add_argument("--iterations", type=int, help="loop iterations (default 1000)")
    parser.add_argument("--concurrent", type=int, default=2, help="loop executions at once")
    parser.add_argument("--starts", type=int, help="StartExecution calls per measure (2000)")
    parser.add_argument("--threads", type=int, default=8, help="client threads")
    parser.add_argument("--processes", type=int, default=2, help="client processes")
    parser.add_argument(
        "--profile", type=Path, help="cProfile the Phalanx servers: FILE.rates.prof, .parked.prof"
    )
    parser.add_argument("--skip-parked", action="store_true", help="measures (1) and (2) only")
    args = parser.parse_args(argv)
    count = args.count or (200 if args.quick else 100_000)
    sizes = {
        "count": count,
        "moto_count": min(count, args.moto_count or (100 if args.quick else 2_000)),
        "iterations": args.iterations or (100 if args.quick else 1_000),
        "starts": args.starts or (50 if args.quick else 2_000),
        "timeout": 60.0 if args.quick else 600.0,
    }
    began = time.monotonic()
    print(f"{'measure':<44} {'Phalanx':>12} {'moto':>12} {'ratio':>9}", flush=True)
    rates = compare_rates(args, sizes)
    if not args.skip_parked:
        compare_parked(args, sizes, rates)
    print(f"ratio = Phalanx / moto (for RSS and seconds, lower is better); {os.cpu_count()} cores")
    ceiling = rates["ceiling"]
    print(
        f"the same boto3 client against a server that answers at once: {ceiling[1]:,.0f} "
        f"StartExecution/s (1 thread), {ceiling[args.threads]:,.0f} ({args.threads} threads), "
        f"{ceiling['boto3']:,.0f} ({args.processes} processes x {args.threads} threads)"
    )
    print(f"{time.monotonic() - began:.0f} s in all")
    return 0


# -- the profiled server -----------------------------------------------------------------


def serve_profiled(out: Path, argv: list[str]) -> None:
    """`phalanx serve argv` with every thread under cProfile; merged stats to `out`."""
    sys.path.insert(0, str(ROOT / "src"))
    from phalanx.cli.main import main as phalanx_main

    profiles: list[cProfile.Profile] = []
    run = threading.Thread.run

    def profiled_run(thread: threading.Thread) -> None:
        profile = cProfile.Profile()
        profiles.append(profile)
        profile.enable()
        try:
            run(thread)
        finally:
            profile.disable()

    threading.Thread.run = profiled_run  # type: ignore[method-assign]
    main_profile = cProfile.Profile()
    profiles.append(main_profile)
    main_profile.enable()
    try:
        phalanx_main(argv)
    except SystemExit:
        pass
    finally:
        main_profile.disable()
        stats = pstats.Stats(profiles[0])
        for profile in profiles[1:]:
            with contextlib.suppress(TypeError):  # a thread that never called anything
                stats.add(profile)
        stats.dump_stats(str(out))
        with open(f"{out}.txt", "w") as text:
            pstats.Stats(str(out), stream=text).sort_stats("tottime").print_stats(40)
            pstats.Stats(str(out), stream=text).sort_stats("cumulative").print_stats(60)


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "--client-worker":
        kind, url, machine, count, threads = sys.argv[2:]
        client_worker(kind, url, machine, int(count), int(threads))
        sys.exit(0)
    if len(sys.argv) > 2 and sys.argv[1] == "--serve-profiled":
        serve_profiled(Path(sys.argv[2]), sys.argv[4:])
        sys.exit(0)
    sys.exit(main())
