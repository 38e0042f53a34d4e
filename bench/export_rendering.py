"""Export rendering: pages of 100 orders from the mock, beside the same bytes precomputed.

    python -m bench.export_rendering [--orders 1000] [--requests 400] [--rounds 5] [--clients 4]

Both servers are the mock's own waitress server (``serve_in_thread``) on 127.0.0.1: one runs
the mock, the other a WSGI app answering the same bytes, fetched once beforehand. The same
client threads drive both, in alternating rounds (so that a slow patch of a shared machine
falls on both), and the median round of each gives the ratio: what answering an export costs
on top of serving its bytes. Every round asks pages 1 to 5 in turn.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from bench.common import print_table, usage
from inksoft_testkit.live import start_live_inksoft
from mock_inksoft.server import serve_in_thread

WINDOW = {"start_date": "01/01/2000 00:00", "end_date": "12/31/2099 23:59"}


def rate(url: str, params: dict, total: int, clients: int, auth=None) -> float:
    local = threading.local()

    def fetch(page: int) -> int:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        response = local.session.get(url, params={**params, "page": page}, auth=auth, timeout=60)
        response.raise_for_status()
        return len(response.content)

    pages = [1 + n % 5 for n in range(total)]
    with usage() as used, ThreadPoolExecutor(clients) as pool:
        list(pool.map(fetch, pages))
    return total / used.seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=400, help="per round and server")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args(argv)

    mock = start_live_inksoft()
    try:
        mock.admin.generate_orders(count=args.orders, seed=1)
        auth = ("demo", "demo-password")
        params = {"action": "export", **WINDOW}
        bodies = {
            page: requests.get(
                mock.endpoint(), params={**params, "page": page}, auth=auth, timeout=60
            ).content
            for page in range(1, 6)
        }

        def precomputed(environ, start_response):
            page = int(environ.get("QUERY_STRING", "page=1").rsplit("page=", 1)[-1] or 1)
            start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8")])
            return [bodies[page]]

        static = serve_in_thread(precomputed)
        try:
            rounds = [
                (
                    rate(mock.endpoint(), params, args.requests, args.clients, auth),
                    rate(static.url, params, args.requests, args.clients),
                )
                for _ in range(args.rounds)
            ]
        finally:
            static.stop()
    finally:
        mock.stop()
    rendered = statistics.median(r for r, _ in rounds)
    served = statistics.median(s for _, s in rounds)

    print_table(
        f"Export pages of 100 orders ({args.orders} held), {args.clients} clients, "
        f"median of {args.rounds} rounds of {args.requests} requests",
        [
            ("mock rendering each page", f"{rendered:.0f}"),
            ("same bytes precomputed", f"{served:.0f}"),
            ("ratio rendered / precomputed", f"{rendered / served:.2f}"),
        ],
        ("server", "pages/s"),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
