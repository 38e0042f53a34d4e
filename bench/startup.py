"""Start-up: ``mock-inksoft serve`` to its first healthy answer, and the fixture's live server.

python -m bench.startup [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from bench.common import print_table
from inksoft_testkit.live import start_inksoft_process, start_live_inksoft


def serve_to_healthy() -> float:
    start = time.perf_counter()
    mock = start_inksoft_process()
    elapsed = time.perf_counter() - start
    mock.stop()
    return elapsed


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
