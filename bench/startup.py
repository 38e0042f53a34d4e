"""Start-up: ``mock-inksoft serve`` to its first healthy answer, and the fixture's live server.

python -m bench.startup [--runs 5]

The serve process's CPU time up to that answer (from /proc, Linux) is shown beside the wall
time: on a shared machine it moves far less than the wall time does. Whether Python could
write bytecode caches ($PYTHONDONTWRITEBYTECODE) is shown too: without them every start
compiles the mock's own modules from source.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from bench.common import print_table, process_cpu
from inksoft_testkit.live import start_inksoft_process, start_live_inksoft


def serve_to_healthy() -> tuple[float, float | None]:
    start = time.perf_counter()
    mock = start_inksoft_process()
    elapsed = time.perf_counter() - start
    try:
        cpu: float | None = process_cpu(mock.pid)
    except OSError:  # no /proc here
        cpu = None
    mock.stop()
    return elapsed, cpu


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
    cpu = [seconds for _, seconds in serve if seconds is not None]
    bytecode = "not written" if sys.dont_write_bytecode else "written"
    print_table(
        f"Start-up, median of {args.runs} runs (bytecode caches {bytecode})",
        [
            (
                "mock-inksoft serve → healthy (new process)",
                f"{statistics.median(s for s, _ in serve):.3f}",
            ),
            ("  its CPU time", f"{statistics.median(cpu):.3f}" if cpu else "n/a"),
            ("start_live_inksoft() → healthy (in process)", f"{statistics.median(fixture):.3f}"),
        ],
        ("measure", "seconds"),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
