"""Start-up: ``mock-inksoft serve`` to its first healthy answer, and the fixture's live server.

python -m bench.startup [--runs 5]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time

import requests

from bench.common import print_table
from inksoft_testkit.live import start_live_inksoft


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_to_healthy() -> float:
    port = free_port()
    command = [sys.executable, "-m", "mock_inksoft", "serve", "--port", str(port)]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/__admin/health", timeout=1).ok:
                    return time.perf_counter() - start
            except requests.ConnectionError:
                time.sleep(0.002)
            if process.poll() is not None:
                raise RuntimeError("mock-inksoft serve exited")
    finally:
        process.terminate()
        process.wait()


def fixture_to_live() -> float:
    start = time.perf_counter()
    server = start_live_inksoft()
    elapsed = time.perf_counter() - start
    server.stop()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    serve = [serve_to_healthy() for _ in range(args.runs)]
    fixture = [fixture_to_live() for _ in range(args.runs)]
    print_table(
        f"Start-up, median of {args.runs} runs",
        [
            ("mock-inksoft serve → healthy (new process)", f"{statistics.median(serve):.3f}"),
            ("start_live_inksoft() → healthy (in process)", f"{statistics.median(fixture):.3f}"),
        ],
        ("measure", "seconds"),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
