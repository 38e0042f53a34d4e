"""Export rendering: pages of 100 orders from the mock, beside the same bytes precomputed.

    python -m bench.export_rendering [--orders 1000] [--requests 400] [--rounds 5] [--clients 4]

Both servers are the mock's own waitress server (``serve_in_thread``) on 127.0.0.1: one runs
the mock, the other a WSGI app answering the same bytes, fetched once beforehand. The same
client threads drive both, in alternating rounds (so that a slow patch of a shared machine
falls on both), and the median round of each gives the ratio: what answering an export costs
on top of serving its bytes. Every round asks pages 1 to 5 in turn.

It also times the export request with no server and no network: the app's WSGI call for pages
1 to 5 in turn (the answers kept after the first of each), CPU µs per request, best of the
rounds.
"""

from __future__ import annotations

import argparse
import base64
import io
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from bench.common import print_table, usage
from inksoft_testkit.live import start_live_inksoft
from mock_inksoft import create_app
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


def wsgi_cost(orders: int, calls: int, rounds: int) -> float:
    """CPU µs of one export request answered by the app's WSGI call, best of ``rounds``."""
    app = create_app({"orders": orders, "seed": 1})
    token = base64.b64encode(b"demo:demo-password").decode()
    window = "&".join(f"{k}={requests.utils.quote(v)}" for k, v in WINDOW.items())

    def call(page: int) -> None:
        environ = {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "PATH_INFO": "/10001/shipstation",
            "QUERY_STRING": f"action=export&{window}&page={page}",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_AUTHORIZATION": f"Basic {token}",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
        }
        body = app(environ, lambda status, headers, exc_info=None: None)
        b"".join(body)
        getattr(body, "close", lambda: None)()

    for page in range(1, 6):
        call(page)
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for n in range(calls):
            call(1 + n % 5)
        best = min(best, (time.process_time() - start) / calls * 1e6)
    return best


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
    in_process = wsgi_cost(args.orders, args.requests, args.rounds)

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
    print(f"One export request, the WSGI call alone: {in_process:.0f} µs of CPU (best round)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
