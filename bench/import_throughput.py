"""Import throughput: a full connector import over HTTP beside the floor (fetch + parse only).

    python -m bench.import_throughput [--orders 10000] [--page-size 100] [--rounds 3]
                                      [--latency SECONDS] [--in-process]

The mock serves seeded orders from its own process (``mock-inksoft serve``, waitress on
127.0.0.1), as InkSoft would from its own machine. One untimed pass over every page first, so
that both runs meet the same mock (each order's rendering is cached once made). Then, in
alternating rounds, the floor fetches the pages with ``requests`` and parses them with lxml,
nothing else, and the connector imports them all into a fresh SQLite file. Prints the median
round of each, in orders/s, and their ratio.

Beside the times, the CPU each run used per order, in this process (every thread) and in the
mock's. Their sum spread over every core bounds the import from below: the least ratio that
running the same work in parallel could reach on this machine.

``--latency`` delays every export answer by that many seconds (the mock's ``delay`` fault),
as a distant InkSoft would: the connector stores one page while it waits for the next.

``--in-process`` serves the mock from a thread of this process instead (the pytest fixture's
set-up): the connector then shares the GIL with the mock, and its garbage collector walks the
mock's orders as well as its own.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import requests
from lxml import etree

from bench.common import Usage, print_table, usage
from connector import Connector
from inksoft_testkit.live import LiveInkSoft, start_inksoft_process, start_live_inksoft
from safexml import parse_xml

LATENCY_TIMES = 1_000_000  # every export answer of the run
WINDOW = {"start_date": "01/01/2000 00:00", "end_date": "12/31/2099 23:59"}


def seed(server: LiveInkSoft, orders: int) -> None:
    for start in range(0, orders, 1000):
        server.admin.generate_orders(
            count=min(1000, orders - start), seed=start + 1, status="Ready to Ship"
        )


def export_pages(server: LiveInkSoft) -> Iterator[tuple[bytes, etree._Element]]:
    """Every export page of the window, fetched with requests and parsed with lxml: the floor."""
    session = requests.Session()
    page, pages = 1, 1
    while page <= pages:
        response = session.get(
            server.endpoint(),
            params={"action": "export", "page": page, **WINDOW},
            auth=("demo", "demo-password"),
            timeout=60,
        )
        root = parse_xml(response.content)
        pages = int(root.get("pages") or 0)
        yield response.content, root
        page += 1


def floor(server: LiveInkSoft) -> int:
    """Fetch every page with requests and parse it with lxml; returns the orders seen."""
    return sum(len(root.findall("Order")) for _, root in export_pages(server))


def timed_floor(server: LiveInkSoft, orders: int) -> Usage:
    with usage(mock_pid(server)) as used:
        seen = floor(server)
    if seen != orders:
        raise RuntimeError(f"the floor saw {seen} orders, not {orders}")
    return used


def timed_import(server: LiveInkSoft, orders: int) -> Usage:
    with (
        tempfile.TemporaryDirectory() as folder,
        Connector(Path(folder) / "bench.db") as connector,
    ):
        connector.connect(server.url, "demo", "demo-password", 10001, name="bench")
        with usage(mock_pid(server)) as used:
            summary = connector.refresh()
        accounted = len(connector.orders()) + len(summary.skipped)  # B09 skips some
    if not summary.ok or accounted != orders:
        raise RuntimeError(f"import incomplete: {summary.error}, {accounted} of {orders}")
    return used


def mock_pid(server: LiveInkSoft) -> int | None:
    """The mock's process when it is not this one (in process, its CPU is already ours)."""
    return None if server.pid == os.getpid() else server.pid


def run_row(name: str, runs: list[Usage], orders: int) -> tuple[str, ...]:
    seconds = statistics.median(run.seconds for run in runs)
    cpu = statistics.median(run.cpu for run in runs)
    mock_cpus = [run.other_cpu for run in runs if run.other_cpu is not None]
    mock_cpu = f"{statistics.median(mock_cpus) / orders * 1e6:.0f}" if mock_cpus else "in ours"
    return (
        name,
        f"{seconds:.2f}",
        f"{orders / seconds:.0f}",
        f"{cpu / orders * 1e6:.0f}",
        mock_cpu,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per export page")
    parser.add_argument("--in-process", action="store_true", help="serve the mock from a thread")
    args = parser.parse_args(argv)

    server = start_live_inksoft() if args.in_process else start_inksoft_process()
    try:
        server.admin.change_settings(page_size=args.page_size)
        seed(server, args.orders)
        floor(server)  # the warm-up pass
        if args.latency:
            server.admin.add_fault(
                type="delay", action="export", seconds=args.latency, times=LATENCY_TIMES
            )
        rounds = [
            (timed_floor(server, args.orders), timed_import(server, args.orders))
            for _ in range(args.rounds)
        ]
    except RuntimeError as problem:
        print(problem)
        return 1
    finally:
        server.stop()

    floors, imports = [f for f, _ in rounds], [i for _, i in rounds]
    floor_time = statistics.median(run.seconds for run in floors)
    import_time = statistics.median(run.seconds for run in imports)
    import_cpu = statistics.median(run.cpu + (run.other_cpu or 0.0) for run in imports)
    cores = os.cpu_count() or 1
    where = "a thread of this process" if args.in_process else "its own process"
    latency = f", {args.latency * 1000:.0f} ms per page" if args.latency else ""
    print_table(
        f"Import of {args.orders} orders, page size {args.page_size}, over HTTP on 127.0.0.1"
        f"{latency}, mock in {where}, median of {args.rounds} rounds",
        [
            run_row("floor: requests + lxml parse", floors, args.orders),
            run_row("connector import into SQLite", imports, args.orders),
            ("ratio import / floor (time)", f"{import_time / floor_time:.2f}", "", "", ""),
            (
                f"ratio bound: the import's CPU spread over {cores} cores",
                f"{import_cpu / cores / floor_time:.2f}",
                "",
                "",
                "",
            ),
        ],
        ("run", "seconds", "orders/s", "CPU µs/order here", "CPU µs/order mock"),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
