"""Export rendering: pages of 100 orders from the mock, beside the same bytes precomputed.

    python -m bench.export_rendering [--orders 1000] [--requests 400] [--clients 4]

Both servers are waitress on 127.0.0.1 and are driven by the same client threads, so the
ratio shows what rendering costs on top of serving bytes.
"""

from __future__ import annotations

import argparse
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import requests
from waitress import create_server

from bench.common import print_table, stopwatch
from inksoft_testkit.live import start_live_inksoft

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
    with stopwatch() as timing, ThreadPoolExecutor(clients) as pool:
        list(pool.map(fetch, pages))
    return total / timing["seconds"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=400)
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

        static = create_server(precomputed, host="127.0.0.1", port=0, threads=8)
        threading.Thread(target=static.run, daemon=True).start()
        static_url = f"http://127.0.0.1:{static.effective_port}/"
        rendered = rate(mock.endpoint(), params, args.requests, args.clients, auth)
        served = rate(static_url, params, args.requests, args.clients)
        static.close()
    finally:
        mock.stop()

    print_table(
        f"Export pages of 100 orders ({args.orders} held), {args.clients} clients",
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
