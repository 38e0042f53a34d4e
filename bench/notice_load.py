"""Load test: concurrent clients send shipment notices, with duplicates and faults mixed in.

    python -m bench.notice_load [--clients 20] [--notices 2000] [--orders 200]

A mock InkSoft runs under its real WSGI server (waitress) on 127.0.0.1. Each client posts
notices over HTTP; every tenth notice is a retry of one already sent, and 5% of requests meet
a queued 503 fault (the client retries them, as the connector's queue would). At the end the
mock must hold exactly one shipment per distinct (order, carrier, tracking number): none
lost, none doubled. Prints throughput and the check; exits 1 if the check fails.
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from bench.common import print_table, usage
from inksoft_testkit.live import start_live_inksoft

NOTICE = (
    '<?xml version="1.0" encoding="utf-8"?><ShipNotice><OrderNumber>{n}</OrderNumber>'
    "<OrderID>{n}</OrderID><Carrier>UPS</Carrier><Service>UPS Ground</Service>"
    "<TrackingNumber>{t}</TrackingNumber><ShippingCost>9.42</ShippingCost></ShipNotice>"
)


def plan(notices: int, order_ids: list[int], seed: int) -> list[tuple[int, str]]:
    """The notices to send: distinct packages, with every tenth one a retry of an earlier one."""
    rng = random.Random(seed)
    sent: list[tuple[int, str]] = []
    for index in range(notices):
        if index % 10 == 9:
            sent.append(rng.choice(sent))
        else:
            sent.append((rng.choice(order_ids), f"1ZLOAD{index:012d}"))
    return sent


def send(endpoint: str, session: requests.Session, order_id: int, tracking: str) -> int:
    """Post one notice until it is accepted (faults answer 503); returns the attempts made."""
    for attempt in range(1, 20):
        response = session.post(
            endpoint,
            params={
                "action": "shipnotify",
                "order_number": order_id,
                "carrier": "UPS",
                "service": "UPS Ground",
                "tracking_number": tracking,
            },
            data=NOTICE.format(n=order_id, t=tracking).encode(),
            auth=("demo", "demo-password"),
            headers={"Content-Type": "application/xml"},
            timeout=30,
        )
        if response.status_code == 200:
            return attempt
        if response.status_code != 503:
            raise RuntimeError(f"notice refused: {response.status_code} {response.text}")
    raise RuntimeError("notice never accepted")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--notices", type=int, default=2000)
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    server = start_live_inksoft()
    try:
        orders = server.admin.generate_orders(count=args.orders, seed=args.seed)
        order_ids = [int(o["order_id"]) for o in orders]
        notices = plan(args.notices, order_ids, args.seed)
        server.admin.add_fault(
            action="shipnotify", times=args.notices // 20, type="status", status=503
        )
        local = threading.local()

        def worker(notice: tuple[int, str]) -> int:
            if not hasattr(local, "session"):
                local.session = requests.Session()
            return send(server.endpoint(), local.session, *notice)

        with usage() as used, ThreadPoolExecutor(args.clients) as pool:
            attempts = sum(pool.map(worker, notices))
        recorded = server.admin.shipments()
    finally:
        server.stop()

    expected = set(notices)
    got = [(int(s["order_id"]), s["tracking_number"]) for s in recorded]
    lost = expected - set(got)
    doubled = len(got) - len(set(got))
    print_table(
        "Shipment notices under load (mock served by waitress on 127.0.0.1)",
        [
            ("clients", args.clients),
            ("notices sent (incl. retries of duplicates)", len(notices)),
            ("HTTP requests (incl. 503 faults)", attempts),
            ("distinct packages", len(expected)),
            ("shipments recorded", len(got)),
            ("lost", len(lost)),
            ("doubled", doubled),
            ("seconds", f"{used.seconds:.2f}"),
            ("requests/s", f"{attempts / used.seconds:.0f}"),
        ],
        ("measure", "value"),
    )
    ok = not lost and not doubled and len(got) == len(expected)
    print("\nresult:", "exactly one shipment per package" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
