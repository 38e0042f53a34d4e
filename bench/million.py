"""A million orders: generating them, the mock's memory holding them, and what reading them
costs at that size against a small mock (export pages, every admin list, every dashboard page).

    python -m bench.million [--orders 1000000] [--small 1000] [--rounds 3]

Two ``mock-inksoft serve`` processes run side by side, one generating ``--orders`` orders and
one ``--small``; each then gets the same traffic (``NOTICES`` shipment notices to orders spread
through the set and ``JOURNALLED`` refused requests, so that the journal is full and the
shipment lists have pages). Every read is timed on both in alternating rounds, so a slow patch
of a shared machine falls on both: cold (its orders never read before: each round reads a page
no earlier round read, and the dashboard's newest page is made new by generating 100 more
orders before it, untimed) then warm (the same request again). Latencies are the median of the
rounds; the big mock's CPU time per read (from ``/proc``, so also meaningful on a busy machine,
where waiting for a core dominates the latency) is their mean.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import requests

from bench.common import print_table, process_cpu
from bench.memory import rss_mb
from inksoft_testkit.live import LiveInkSoft, start_inksoft_process

FIRST_ORDER = 1048001
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


NOTICES = 120  # shipment notices applied to each mock before the reads
JOURNALLED = 500  # refused store requests, to fill the journal (its default size)
FRESH_ORDERS = 100  # generated before each round's "newest page" read, so that it is cold


def export_page(mock: LiveInkSoft, page: int) -> Callable[[], requests.Response]:
    params = {**WINDOW, "page": str(page)}
    return lambda: requests.get(mock.endpoint(), params=params, auth=AUTH, timeout=60)


def admin_get(mock: LiveInkSoft, path: str) -> Callable[[], requests.Response]:
    return lambda: mock.admin.session.get(f"{mock.url}{path}", timeout=60)


def fill(mock: LiveInkSoft, count: int) -> None:
    """Apply ``NOTICES`` shipment notices to orders spread through the set, then journal
    ``JOURNALLED`` refused requests (a 401 each, cheap to answer)."""
    for n in range(NOTICES):
        order = str(FIRST_ORDER + (n * 7919) % count)
        tracking = f"1Z{n:016d}"
        query = {"action": "shipnotify", "order_number": order, "carrier": "UPS",
                 "service": "UPS Ground", "tracking_number": tracking}  # fmt: skip
        notice = (
            f"<ShipNotice><OrderNumber>{order}</OrderNumber><OrderID>{order}</OrderID>"
            f"<Carrier>UPS</Carrier><Service>UPS Ground</Service>"
            f"<TrackingNumber>{tracking}</TrackingNumber></ShipNotice>"
        )
        answer = requests.post(mock.endpoint(), params=query, data=notice, auth=AUTH, timeout=60)
        answer.raise_for_status()
    with requests.Session() as session:
        for _ in range(JOURNALLED):
            session.get(mock.endpoint(), params=WINDOW, timeout=60)  # no credentials: 401


def fresh_orders(mock: LiveInkSoft, number: int) -> None:
    mock.admin.session.post(
        f"{mock.url}/__admin/orders/generate",
        json={"count": FRESH_ORDERS, "seed": 1000 + number},
        timeout=60,
    ).raise_for_status()


Read = Callable[[LiveInkSoft, int], Callable[[], requests.Response]]


def reads(count: int) -> dict[str, Read]:
    """Each read, given the mock and the round: a page (or an order) no earlier round read."""
    pages = max(count // 100, 1)
    deep = FIRST_ORDER + count * 2 // 3
    return {
        "export, cold page / again": lambda m, r: export_page(m, pages // 2 + r),
        "export, last page": lambda m, r: export_page(m, pages - r),
        "GET /__admin/orders (first page)": lambda m, r: admin_get(
            m, f"/__admin/orders?offset={100 * r}"
        ),
        "GET /__admin/orders (last page)": lambda m, r: admin_get(
            m, f"/__admin/orders?offset={max(count - 100 * (r + 1), 0)}"
        ),
        "GET /__admin/orders?status=On Hold (deep)": lambda m, r: admin_get(
            m, f"/__admin/orders?status=On%20Hold&offset={count // 20 + 100 * r}"
        ),
        "GET /__admin/orders/{number}": lambda m, r: admin_get(m, f"/__admin/orders/{deep - r}"),
        "GET /__admin/shipments (first / next page)": lambda m, r: admin_get(
            m, f"/__admin/shipments?limit=50&offset={50 * (r % 2)}"
        ),
        "GET /__admin/requests (a deep page)": lambda m, r: admin_get(
            m, f"/__admin/requests?offset={300 + r}"
        ),
        "GET /__admin/requests?status=4xx (deep)": lambda m, r: admin_get(
            m, f"/__admin/requests?status=4xx&offset={100 + r}"
        ),
        "dashboard, newest page (100 orders just generated)": lambda m, r: admin_get(
            m, "/__admin/"
        ),
        "dashboard, a middle page": lambda m, r: admin_get(m, f"/__admin/?page={pages // 3 + r}"),
        "dashboard, oldest page": lambda m, r: admin_get(m, f"/__admin/?page={pages - r}"),
        "dashboard, ?status=On Hold (deep page)": lambda m, r: admin_get(
            m, f"/__admin/?status=On+Hold&page={max(pages // 20, 1) + r}"
        ),
        "dashboard, journal / shipments page 2": lambda m, r: admin_get(
            m, "/__admin/?journal_page=2&shipments_page=2"
        ),
        "dashboard, an order": lambda m, r: admin_get(m, f"/__admin/ui/orders/{deep - 10 - r}"),
        "dashboard, a shipment": lambda m, r: admin_get(m, f"/__admin/ui/shipments/{7 + r}"),
        "dashboard, a request": lambda m, r: admin_get(m, "/__admin/ui/requests/300"),
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
        fill(big, options.orders)
        fill(small, options.small)
        rows = []
        read_sets = {count: reads(count) for count in (options.orders, options.small)}
        for name in read_sets[options.orders]:
            times: dict[tuple[int, str], list[float]] = {}
            cpu: dict[str, float] = {"cold": 0.0, "warm": 0.0}  # the big mock's, every round
            for number in range(options.rounds):
                for mock, count in ((big, options.orders), (small, options.small)):
                    if name.startswith("dashboard, newest page"):
                        fresh_orders(mock, number)
                    request = read_sets[count][name](mock, number)
                    for kind in ("cold", "warm"):
                        before = process_cpu(mock.pid)
                        times.setdefault((count, kind), []).append(timed(request))
                        if mock is big:
                            cpu[kind] += process_cpu(mock.pid) - before
            ms = {key: statistics.median(found) * 1000 for key, found in times.items()}
            big_cold, big_warm = ms[(options.orders, "cold")], ms[(options.orders, "warm")]
            small_cold, small_warm = ms[(options.small, "cold")], ms[(options.small, "warm")]
            rows.append(
                (
                    name,
                    f"{big_cold:.1f} / {big_warm:.1f}",
                    f"{cpu['cold'] * 1000 / options.rounds:.0f} / "
                    f"{cpu['warm'] * 1000 / options.rounds:.0f}",
                    f"{small_cold:.1f} / {small_warm:.1f}",
                    f"{big_cold / small_cold:.2f} / {big_warm / small_warm:.2f}",
                )
            )
        print_table(
            f"Reads, cold / warm, median of {options.rounds} alternating rounds (ms);"
            f" {NOTICES} notices applied, {JOURNALLED} requests journalled; the big mock's CPU"
            " per read is the mean over the rounds, from /proc in ticks of 10 ms",
            rows,
            (
                "request",
                f"{options.orders:,} orders",
                "its CPU ms",
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
