"""Where an imported order's time goes: lxml's parse, reading the orders, checking and storing.

    python -m bench.import_phases [--orders 2000]

Fetches every export page of a seeded mock once, then, with no network, times (best of 5):
lxml's parse of the pages; the connector's feed parser (lxml's parse plus reading each order
into a record); and a whole refresh answered from those bytes by a canned ``requests``
adapter (all of the above plus checking and storing into a fresh SQLite file; the connection
made before it is not counted). For scale, it also times the least any reader can do in
Python: asking every element of the parsed pages for its tag and text once.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests
from lxml import etree
from requests.adapters import BaseAdapter

from bench.common import print_table
from bench.import_throughput import export_pages, seed
from connector import Connector
from connector.feed import parse_page
from inksoft_testkit.live import start_inksoft_process
from safexml import parse_xml

CLOCK_NOW = datetime.now(timezone.utc)


class CannedExport(BaseAdapter):
    """Answers every export request with the page fetched beforehand."""

    def __init__(self, bodies: list[bytes]) -> None:
        super().__init__()
        self.bodies = bodies

    def send(self, request: requests.PreparedRequest, **kwargs: object) -> requests.Response:
        page = int(parse_qs(urlsplit(request.url or "").query).get("page", ["1"])[0])
        response = requests.Response()
        response.status_code = 200
        response._content = self.bodies[page - 1] if page <= len(self.bodies) else b""
        response.headers["Content-Type"] = "text/xml; charset=utf-8"
        response.url, response.request = request.url or "", request
        return response

    def close(self) -> None:
        pass


def fetch_pages(orders: int) -> list[bytes]:
    server = start_inksoft_process()
    try:
        seed(server, orders)
        return [body for body, _ in export_pages(server)]
    finally:
        server.stop()


def best_of(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def offline_refresh(bodies: list[bytes]) -> float:
    """A refresh into a fresh SQLite file, answered from ``bodies``; returns its seconds (the
    connection made beforehand is not counted)."""
    session = requests.Session()
    session.mount("http://", CannedExport(bodies))
    with (
        tempfile.TemporaryDirectory() as folder,
        Connector(Path(folder) / "bench.db", session=session, clock=lambda: CLOCK_NOW) as c,
    ):
        c.connect("http://inksoft.test", "demo", "demo-password", 10001, name="bench")
        start = time.perf_counter()
        summary = c.refresh()
        seconds = time.perf_counter() - start
    if not summary.ok:
        raise RuntimeError(summary.error)
    return seconds


def touch_every_element(roots: list[etree._Element]) -> None:
    for root in roots:
        for element in root.iter():
            element.tag, element.text  # noqa: B018 (read, not kept: the cost of asking)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000)
    args = parser.parse_args(argv)
    bodies = fetch_pages(args.orders)
    lxml = best_of(5, lambda: [parse_xml(body) for body in bodies])
    roots = [parse_xml(body) for body in bodies]
    walk = best_of(5, lambda: touch_every_element(roots))
    feed = best_of(5, lambda: [parse_page(body) for body in bodies])
    refresh = min(offline_refresh(bodies) for _ in range(5))

    def per_order(seconds: float) -> str:
        return f"{seconds / args.orders * 1e6:.0f}"

    print_table(
        f"Import of {args.orders} orders from pages fetched beforehand (no network), best of 5",
        [
            ("lxml's parse", per_order(lxml)),
            ("(for scale: every element's tag and text, once)", per_order(walk)),
            ("reading the orders into records", per_order(feed - lxml)),
            ("checking and storing in SQLite", per_order(refresh - feed)),
            ("whole refresh", per_order(refresh)),
        ],
        ("phase", "µs per order"),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
