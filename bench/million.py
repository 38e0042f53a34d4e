"""A million orders: generating them, the mock's memory holding them, and what reading them
costs at that size against a small mock (export pages, admin lists, the dashboard).

    python -m bench.million [--orders 1000000] [--small 1000] [--rounds 3]

Two ``mock-inksoft serve`` processes run side by side, one generating ``--orders`` orders and
one ``--small``; every request is timed on both in alternating rounds, so a slow patch of a
shared machine falls on both. An export page is timed cold (its orders never read before:
made and rendered) and warm (the same page again). Latencies are the median of the rounds.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import requests

from bench.common import print_table
from bench.memory import rss_mb
from inksoft_testkit.live import LiveInkSoft, start_inksoft_process

WINDOW = {"action": "export", "start_date": "01/01/2000 00:00", "end_date": "12/31/2099 23:59"}
AUTH = ("demo", "demo-password")


def timed(call: Callable[[], requests.Response]) -> float:
    start = time.perf_counter()
    response = call()
    elapsed = time.perf_counter() - start
    response.raise_for_status()
    return elapsed


def generate(mock: LiveInkSoft, count: int) -> float:
    return timed(
        lambda: mock.admin.session.post(
            f"{mock.url}/__admin/orders/generate",
            json={"count": count, "seed": 1},
            timeout=600,
        )
    )


def export_page(mock: LiveInkSoft, page: int) -> Callable[[], requests.Response]:
    params = {**WINDOW, "page": str(page)}
    return lambda: requests.get(mock.endpoint(), params=params, auth=AUTH, timeout=60)


def admin_get(mock: LiveInkSoft, path: str) -> Callable[[], requests.Response]:
    return lambda: mock.admin.session.get(f"{mock.url}{path}", timeout=60)


def reads(count: int) -> dict[str, Callable[[LiveInkSoft, int], Callable]]:
    """Each read, given the mock and the round (so that a cold page is a new page)."""
    pages = max(count // 100, 1)
    return {
        "export, cold page": lambda m, r: export_page(m, pages // 2 + r),
        "export, warm page": lambda m, r: export_page(m, pages // 2),
        "export, last page": lambda m, r: export_page(m, pages),
        "GET /__admin/orders (first page)": lambda m, r: admin_get(m, "/__admin/orders"),
        "GET /__admin/orders (last page)": lambda m, r: admin_get(
            m, f"/__admin/orders?offset={max(count - 100, 0)}"
        ),
        "GET /__admin/orders?status=On Hold": lambda m, r: admin_get(
            m, "/__admin/orders?status=On%20Hold&offset=20"
        ),
        "GET /__admin/orders/{number}": lambda m, r: admin_get(
            m, f"/__admin/orders/{1048001 + count - 7 - r}"
        ),
        "GET /__admin/shipments": lambda m, r: admin_get(m, "/__admin/shipments"),
        "GET /__admin/requests": lambda m, r: admin_get(m, "/__admin/requests"),
        "dashboard, first page": lambda m, r: admin_get(m, "/__admin/"),
        "dashboard, last page": lambda m, r: admin_get(m, f"/__admin/?page={pages}"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args(argv)

    big, small = start_inksoft_process(), start_inksoft_process()
    try:
        empty_rss = rss_mb(big.pid)
        generating = generate(big, options.orders)
        held_rss = rss_mb(big.pid)
        generate(small, options.small)
        print_table(
            f"Generating {options.orders:,} orders (POST /__admin/orders/generate)",
            [
                (
                    f"{generating:.2f} s",
                    f"{empty_rss:.0f} MB",
                    f"{held_rss:.0f} MB",
                    f"{(held_rss - empty_rss) * 2**20 / options.orders:.0f} B",
                )
            ],
            ("answered in", "RSS empty", "RSS holding them", "per order"),
        )
        rows = []
        for name in reads(options.orders):
            at_big, at_small = [], []
            for number in range(options.rounds):
                at_big.append(timed(reads(options.orders)[name](big, number)))
                at_small.append(timed(reads(options.small)[name](small, number)))
            big_ms = statistics.median(at_big) * 1000
            small_ms = statistics.median(at_small) * 1000
            rows.append((name, f"{big_ms:.1f}", f"{small_ms:.1f}", f"{big_ms / small_ms:.2f}"))
        print_table(
            f"Reads, median of {options.rounds} alternating rounds (ms)",
            rows,
            (
                "request",
                f"{options.orders:,} orders",
                f"{options.small:,} orders",
                "ratio",
            ),
        )
        print(f"\nmock RSS after the reads: {rss_mb(big.pid):.0f} MB")
    finally:
        big.stop()
        small.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
