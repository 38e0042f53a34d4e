"""Import throughput: a full connector import over HTTP beside the floor (fetch + parse only).

    python -m bench.import_throughput [--orders 10000] [--page-size 100] [--rounds 3]
                                      [--latency SECONDS] [--in-process]

The mock serves seeded orders from its own process (``mock-inksoft serve``, waitress on
127.0.0.1), as InkSoft would from its own machine. One untimed pass over every page first, so
that both runs meet the same mock (each order's rendering is cached once made). Then, in
alternating rounds, the floor fetches the pages with ``requests`` and parses them with lxml,
nothing else, and the connector imports them all into a fresh SQLite file twice: once as the
command a user runs, ``inksoft-connector import`` in a new process (its start-up included; the
store connected beforehand by ``inksoft-connector connect``, untimed), and once through the
Python API in this process (``Connector.refresh``). Prints the median round of each, in
orders/s, and each import's ratio to the floor.

Beside the times, the CPU each run used per order, in the connector's process (every thread:
this one, or the command's) and in the mock's. Their sum spread over every core bounds the
import from below: the least ratio that running the same work in parallel could reach on this
machine.

``--latency`` delays every export answer by that many seconds (the mock's ``delay`` fault),
as a distant InkSoft would: the connector stores one page while it waits for the next.

``--in-process`` serves the mock from a thread of this process instead (the pytest fixture's
set-up): the connector then shares the GIL with the mock, and its garbage collector walks the
mock's orders as well as its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import requests
from lxml import etree

from bench.common import CONNECTOR_COMMAND, Usage, connected_cli, print_table, usage
from connector import Connector
from inksoft_testkit.live import LiveInkSoft, start_inksoft_process, start_live_inksoft
from safexml import parse_xml

STORED_PER_REQUEST = 100  # orders added per control request (each well within its timeout)
LATENCY_TIMES = 1_000_000  # every export answer of the run
WINDOW = {"start_date": "01/01/2000 00:00", "end_date": "12/31/2099 23:59"}


def seed(server: LiveInkSoft, orders: int) -> None:
    """Seeded orders, stored as ordinary ones: the mock makes generated orders when read and
    keeps only the latest few thousand made, so a walk of 10,000 would time the mock making
    each order again (about 0.7 ms an order) rather than the connector."""
    generated: list[dict] = []
    for start in range(0, orders, 1000):
        generated += server.admin.generate_orders(
            count=min(1000, orders - start), seed=start + 1, status="Ready to Ship"
        )
    server.admin.reset()
    for start in range(0, orders, STORED_PER_REQUEST):
        server.admin.add_orders(generated[start : start + STORED_PER_REQUEST])


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


def timed_cli_import(server: LiveInkSoft, orders: int) -> Usage:
    """``inksoft-connector import`` as a new process, timed from its launch to its exit."""
    with tempfile.TemporaryDirectory() as folder:
        env = connected_cli(server.url, Path(folder) / "bench.db")
        children_before = children_cpu()
        other_pid = mock_pid(server)
        with usage(other_pid) as used:
            done = subprocess.run(
                [CONNECTOR_COMMAND, "import", "--json"], env=env, capture_output=True, text=True
            )
        if other_pid is None:  # the mock in a thread of this process: its CPU is ours
            used.other_cpu = used.cpu
        used.cpu = children_cpu() - children_before
    summary = json.loads(done.stdout or "{}")
    accounted = len(summary.get("imported", [])) + len(summary.get("skipped", []))
    if done.returncode != 0 or accounted != orders:
        raise RuntimeError(f"CLI import incomplete: {done.stderr.strip()}, {accounted} of {orders}")
    return used


def children_cpu() -> float:
    """User and system CPU seconds of the finished child processes waited for so far."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


def startup_seconds(runs: int = 5) -> float:
    """The least time ``inksoft-connector --help`` took of ``runs`` (the command's start-up)."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([CONNECTOR_COMMAND, "--help"], check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


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
            (
                timed_floor(server, args.orders),
                timed_cli_import(server, args.orders),
                timed_import(server, args.orders),
            )
            for _ in range(args.rounds)
        ]
        startup = startup_seconds()
    except RuntimeError as problem:
        print(problem)
        return 1
    finally:
        server.stop()

    floors = [floor_run for floor_run, _, _ in rounds]
    commands = [command_run for _, command_run, _ in rounds]
    imports = [api_run for _, _, api_run in rounds]
    floor_time = statistics.median(run.seconds for run in floors)
    cores = os.cpu_count() or 1

    def ratios(name: str, runs: list[Usage]) -> list[tuple[str, ...]]:
        seconds = statistics.median(run.seconds for run in runs)
        cpu = statistics.median(run.cpu + (run.other_cpu or 0.0) for run in runs)
        return [
            (f"ratio {name} / floor (time)", f"{seconds / floor_time:.2f}", "", "", ""),
            (
                f"ratio bound: {name}'s CPU spread over {cores} cores",
                f"{cpu / cores / floor_time:.2f}",
                "",
                "",
                "",
            ),
        ]

    where = "a thread of this process" if args.in_process else "its own process"
    latency = f", {args.latency * 1000:.0f} ms per page" if args.latency else ""
    print_table(
        f"Import of {args.orders} orders, page size {args.page_size}, over HTTP on 127.0.0.1"
        f"{latency}, mock in {where}, median of {args.rounds} rounds",
        [
            run_row("floor: requests + lxml parse", floors, args.orders),
            run_row("`inksoft-connector import` (a new process)", commands, args.orders),
            run_row("Connector.refresh() in this process", imports, args.orders),
            *ratios("the command", commands),
            *ratios("refresh()", imports),
            ("`inksoft-connector --help` (start-up, best of 5)", f"{startup:.3f}", "", "", ""),
        ],
        ("run", "seconds", "orders/s", "CPU µs/order connector", "CPU µs/order mock"),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
