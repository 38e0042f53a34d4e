"""Export throughput against WireMock: the mock, WireMock serving the mock's bytes as stubs,
and a server answering the same bytes precomputed, driven by wrk in alternating rounds.

    python -m bench.vs_wiremock [--orders 1000] [--pages 10] [--rounds 3] [--seconds 5]
                                [--warmup 10] [--threads 2] [--connections 16] [--mock-threads N]

Each server runs in its own process on 127.0.0.1: ``mock-inksoft serve`` (the mock, rendering
or answering from its cache), ``java -jar wiremock-standalone.jar --no-request-journal`` (stubs
with the exact bytes of each page, Basic auth matched) and ``python -m bench.vs_wiremock
--precomputed`` (Flask on waitress answering the same bytes, the issue's baseline). wrk asks
export pages 1 to ``--pages`` in turn with Basic auth: ``--warmup`` seconds of untimed load per
server first (WireMock's JIT needs them), then ``--rounds`` rounds of ``--seconds`` each, the
servers alternating within every round, so that a slow patch of a shared machine falls on all
three. It prints each server's requests/s and CPU per request, and the mock's ratio to each
other server, round by round.

Needs wrk (``apt-get install -y wrk``), Java 17+ and WireMock's standalone jar from npm
(``npm install --prefix ~/.cache/mock-inksoft-bench wiremock``, or ``$WIREMOCK_JAR``).
Without them it says what is missing and how to install it, and exits 0.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench.common import print_table, process_cpu
from inksoft_testkit.live import start_inksoft_process, stop_process

WINDOW = {"start_date": "01/01/2000 00:00", "end_date": "12/31/2099 23:59"}
NPM_PREFIX = Path.home() / ".cache" / "mock-inksoft-bench"
JAR_GLOB = "node_modules/wiremock/build/wiremock-standalone-*.jar"
CONTENT_TYPE = "text/xml; charset=utf-8"
WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1], {["Authorization"] = "%s"})
end
"""


def wiremock_jar() -> Path | None:
    """``$WIREMOCK_JAR``, else the jar ``npm install wiremock`` put in the cache or here."""
    named = os.environ.get("WIREMOCK_JAR")
    if named:
        return Path(named) if Path(named).is_file() else None
    for root in (NPM_PREFIX, Path.cwd()):
        found = sorted(root.glob(JAR_GLOB))
        if found:
            return found[-1]
    return None


def missing_tools() -> list[str]:
    """What the comparison lacks on this machine, each with how to install it."""
    missing = []
    if shutil.which("wrk") is None:
        missing.append("wrk, the load generator: apt-get install -y wrk")
    if shutil.which("java") is None:
        missing.append("Java 17 or later: apt-get install -y openjdk-17-jre-headless")
    if wiremock_jar() is None:
        missing.append(
            f"WireMock's standalone jar: npm install --prefix {NPM_PREFIX} wiremock "
            "(or set WIREMOCK_JAR to the jar)"
        )
    return missing


def local(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    name: str
    base: str  # http://127.0.0.1:port
    pid: int
    rates: list[float] = field(default_factory=list)
    cpu_us: list[float] = field(default_factory=list)


@contextmanager
def child(command: list[str], health: str, timeout: float = 60) -> Iterator[subprocess.Popen]:
    """A server process, waited for until ``health`` answers, stopped on exit. Its stderr goes
    to a file (a pipe nobody reads would fill and stall it)."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    errors.seek(0)
                    error = errors.read().decode(errors="replace").strip()
                    raise RuntimeError(f"{command[0]} stopped: {error[-500:]}")
                try:
                    requests.get(health, timeout=1)
                    break
                except requests.RequestException:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"{health} did not answer in {timeout} s") from None
                    time.sleep(0.05)
            yield process
        finally:
            stop_process(process)


def write_wiremock_stubs(root: Path, path: str, auth: tuple[str, str], bodies: dict) -> None:
    """One mapping per page: the export path, the page, the window and Basic auth matched; the
    page's exact bytes from a file."""
    (root / "mappings").mkdir(parents=True)
    (root / "__files").mkdir()
    for page, body in bodies.items():
        (root / "__files" / f"page{page}.xml").write_bytes(body)
        query = {"action": {"equalTo": "export"}, "page": {"equalTo": str(page)}}
        query |= {name: {"equalTo": value} for name, value in WINDOW.items()}
        mapping = {
            "request": {
                "method": "GET",
                "urlPath": path,
                "queryParameters": query,
                "basicAuthCredentials": {"username": auth[0], "password": auth[1]},
            },
            "response": {
                "status": 200,
                "headers": {"Content-Type": CONTENT_TYPE},
                "base64Body": base64.b64encode(body).decode("ascii"),  # the bytes, as they are
            },
        }
        (root / "mappings" / f"page{page}.json").write_text(json.dumps(mapping))


def precomputed_app(root: Path):
    """Flask answering each page's bytes as stored under ``root`` (the issue's baseline)."""
    from flask import Flask, Response, request

    bodies = {int(p.stem[4:]): p.read_bytes() for p in (root / "__files").glob("page*.xml")}
    app = Flask(__name__)

    @app.get("/<int:publisher_id>/shipstation")
    def export(publisher_id: int) -> Response:
        return Response(bodies[int(request.args.get("page", "1"))], content_type=CONTENT_TYPE)

    @app.get("/__admin/health")
    def health() -> str:
        return "ok"

    return app


def serve_precomputed(root: Path, port: int, threads: int) -> int:
    from waitress import serve

    serve(precomputed_app(root), host="127.0.0.1", port=port, threads=threads)
    return 0


def run_wrk(script: Path, base: str, args: argparse.Namespace, seconds: int) -> float:
    """Requests per second wrk reached; any non-2xx answer or socket error fails the run."""
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(script),
        base,
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    out = done.stdout
    if done.returncode:
        raise RuntimeError(f"wrk failed against {base}: {done.stderr.strip() or out}")
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"wrk saw errors against {base}:\n{out}")
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if found is None or not float(found.group(1)):
        raise RuntimeError(f"no rate in wrk's output:\n{out}")
    return float(found.group(1))


def measure(server: Server, script: Path, args: argparse.Namespace) -> None:
    cpu = process_cpu(server.pid)
    try:
        rate = run_wrk(script, server.base, args, args.seconds)
    except RuntimeError as exc:
        raise RuntimeError(f"{server.name}: {exc}") from None
    server.rates.append(rate)
    server.cpu_us.append((process_cpu(server.pid) - cpu) / (rate * args.seconds) * 1e6)


def span(values: list[float], digits: int = 0) -> str:
    low, high = min(values), max(values)
    return f"{low:,.{digits}f}" if low == high else f"{low:,.{digits}f}–{high:,.{digits}f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--pages", type=int, default=10, help="pages cycled (of 100 orders)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5, help="per round and server")
    parser.add_argument(
        "--warmup", type=int, default=10, help="seconds of untimed load per server first"
    )
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--connections", type=int, default=16, help="wrk's connections")
    parser.add_argument("--mock-threads", type=int, help="mock-inksoft serve --threads")
    parser.add_argument("--precomputed", nargs=3, metavar=("ROOT", "PORT", "THREADS"))
    args = parser.parse_args(argv)
    if args.precomputed:
        root, port, threads = args.precomputed
        return serve_precomputed(Path(root), int(port), int(threads))

    missing = missing_tools()
    if missing:
        print("bench.vs_wiremock: not run; this machine lacks:")
        for item in missing:
            print(f"  - {item}")
        return 0
    jar = wiremock_jar()
    assert jar is not None
    serve_args = ["--orders", str(args.orders), "--seed", "1"]
    if args.mock_threads:
        serve_args += ["--threads", str(args.mock_threads)]
    with ExitStack() as stack:
        mock = start_inksoft_process(serve_args)
        stack.callback(mock.stop)
        auth = (mock.account.username, mock.account.password)
        path = f"/{mock.account.publisher_id}/shipstation"
        bodies = {}
        for page in range(1, args.pages + 1):
            answer = requests.get(
                mock.endpoint(),
                params={"action": "export", **WINDOW, "page": str(page)},
                auth=auth,
                timeout=60,
            )
            answer.raise_for_status()
            bodies[page] = answer.content
        root = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        write_wiremock_stubs(root, path, auth, bodies)

        wiremock_port, static_port = free_port(), free_port()
        wiremock = stack.enter_context(
            child(
                [
                    "java",
                    "-jar",
                    str(jar),
                    "--port",
                    str(wiremock_port),
                    "--bind-address",
                    "127.0.0.1",
                    "--root-dir",
                    str(root),
                    "--no-request-journal",
                    "--disable-banner",
                ],
                f"{local(wiremock_port)}/__admin/health",
            )
        )
        static = stack.enter_context(
            child(
                [
                    sys.executable,
                    "-m",
                    "bench.vs_wiremock",
                    "--precomputed",
                    str(root),
                    str(static_port),
                    str(args.mock_threads or 8),
                ],
                f"{local(static_port)}/__admin/health",
            )
        )
        servers = [
            Server("mock-inksoft serve", mock.url, mock.pid),
            Server("WireMock --no-request-journal", local(wiremock_port), wiremock.pid),
            Server("Flask + waitress, precomputed", local(static_port), static.pid),
        ]
        for server in servers:
            got = requests.get(
                f"{server.base}{path}",
                params={"action": "export", **WINDOW, "page": "1"},
                auth=auth,
                timeout=30,
            )
            if got.content != bodies[1]:
                raise RuntimeError(f"{server.name} does not answer the mock's bytes")
        token = base64.b64encode(":".join(auth).encode()).decode()
        query = "&".join(f"{k}={requests.utils.quote(v)}" for k, v in WINDOW.items())
        paths = ", ".join(
            f'"{path}?action=export&{query}&page={page}"' for page in range(1, args.pages + 1)
        )
        script = root / "pages.lua"
        script.write_text(WRK_SCRIPT % (paths, f"Basic {token}"))
        for server in servers:  # warm-up: the JIT, caches, connection pools
            run_wrk(script, server.base, args, args.warmup)
        for _ in range(args.rounds):
            for server in servers:
                measure(server, script, args)

    mock_server, wiremock_server, static_server = servers
    size = statistics.mean(len(b) for b in bodies.values()) / 1024
    print_table(
        f"Export pages 1–{args.pages} cycled ({size:.0f} KB each, {args.orders} orders held), "
        f"wrk -t{args.threads} -c{args.connections}, {args.rounds} rounds of {args.seconds:g} s "
        f"after a warm-up; load {os.getloadavg()[0]:.2f}",
        [
            (s.name, span(s.rates), span(s.cpu_us), ", ".join(f"{r:,.0f}" for r in s.rates))
            for s in servers
        ],
        ("server", "req/s", "CPU µs per request", "rounds"),
    )
    mine = mock_server.rates
    against = [
        (other.name, ", ".join(f"{m / o:.2f}" for m, o in zip(mine, other.rates, strict=True)))
        for other in (wiremock_server, static_server)
    ]
    print_table("The mock's rate over the other's, round by round", against, ("against", "ratio"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
