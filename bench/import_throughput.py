"""Import throughput: a full connector import over HTTP beside the floor (fetch + parse only).

    python -m bench.import_throughput [--orders 10000] [--page-size 100]

The mock serves seeded orders under waitress on 127.0.0.1. The connector imports them all into
a fresh SQLite file; in the same run, the floor fetches the same pages with ``requests`` and
parses them with lxml, nothing else. Prints orders/s for both and their ratio.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import requests

from bench.common import print_table, stopwatch
from connector import Connector
from inksoft_testkit.live import start_live_inksoft
from safexml import parse_xml

WINDOW = {"start_date": "01/01/2000 00:00", "end_date": "12/31/2099 23:59"}


def seed(server, orders: int) -> None:
    for start in range(0, orders, 1000):
        server.admin.generate_orders(
            count=min(1000, orders - start), seed=start + 1, status="Ready to Ship"
        )


def floor(server) -> int:
    """Fetch every page with requests and parse it with lxml; returns the orders seen."""
    session = requests.Session()
    seen, page, pages = 0, 1, 1
    while page <= pages:
        response = session.get(
            server.endpoint(),
            params={"action": "export", "page": page, **WINDOW},
            auth=("demo", "demo-password"),
            timeout=60,
        )
        root = parse_xml(response.content)
        pages = int(root.get("pages") or 0)
        seen += len(root.findall("Order"))
        page += 1
    return seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args(argv)

    server = start_live_inksoft()
    try:
        server.admin.change_settings(page_size=args.page_size)
        seed(server, args.orders)
        with stopwatch() as floor_time:
            floor_seen = floor(server)
        with (
            tempfile.TemporaryDirectory() as folder,
            Connector(Path(folder) / "bench.db") as connector,
        ):
            connector.connect(server.url, "demo", "demo-password", 10001, name="bench")
            with stopwatch() as import_time:
                summary = connector.refresh()
            stored = len(connector.orders())
    finally:
        server.stop()

    accounted = stored + len(summary.skipped)  # orders without an address are skipped (B09)
    if not summary.ok or accounted != args.orders or floor_seen != args.orders:
        print(f"import incomplete: {summary.error}, {accounted} accounted, floor saw {floor_seen}")
        return 1
    floor_rate = args.orders / floor_time["seconds"]
    import_rate = args.orders / import_time["seconds"]
    print_table(
        f"Import of {args.orders} orders, page size {args.page_size}, over HTTP on 127.0.0.1",
        [
            ("floor: requests + lxml parse", f"{floor_time['seconds']:.2f}", f"{floor_rate:.0f}"),
            ("connector import into SQLite", f"{import_time['seconds']:.2f}", f"{import_rate:.0f}"),
            (
                "ratio import / floor (time)",
                f"{import_time['seconds'] / floor_time['seconds']:.2f}",
                "",
            ),
        ],
        ("run", "seconds", "orders/s"),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
