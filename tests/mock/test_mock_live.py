"""The mock on its real server: concurrent notices are neither lost, nor doubled, nor mixed up."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests
from mock_support import AUTH, ENDPOINT, notify_params, ship_notice

THREADS = 20
NOTICES_PER_THREAD = 50
ORDERS = [str(7000 + n) for n in range(NOTICES_PER_THREAD)]


def notices_of(thread: int) -> list[tuple[str, str]]:
    """50 distinct notices (one package per order); thread t and its twin t + 10 send the same
    ones at the same time, as ShipStation retrying a notice still in flight would."""
    twin_pair = thread % (THREADS // 2)
    return [(order, f"1Z{twin_pair:02d}X{order}") for order in ORDERS]


def test_concurrent_notices_are_all_applied_and_duplicates_once(live):
    admin = f"{live.url}/__admin"
    requests.put(f"{admin}/settings", json={"journal_size": 5000}, timeout=5)
    requests.post(f"{admin}/orders", json=[{"order_id": o} for o in ORDERS], timeout=5)

    def send(thread: int) -> list[int]:
        statuses = []
        with requests.Session() as session:
            session.auth = AUTH
            for order, tracking in notices_of(thread):
                response = session.post(
                    f"{live.url}{ENDPOINT}",
                    params=notify_params(order, tracking_number=tracking),
                    data=ship_notice(order, tracking=tracking),
                    timeout=10,
                )
                statuses.append(response.status_code)
        return statuses

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = [s for thread in pool.map(send, range(THREADS)) for s in thread]

    assert statuses == [200] * THREADS * NOTICES_PER_THREAD
    shipments = requests.get(f"{admin}/shipments", timeout=10).json()["shipments"]
    applied = [(s["order_id"], s["tracking_number"]) for s in shipments]
    assert sorted(applied) == sorted({n for t in range(THREADS) for n in notices_of(t)})
    for shipment in shipments:  # each parsed notice stays with its own order
        assert shipment["tracking_number"].endswith(f"X{shipment['order_id']}")
        assert f"<TrackingNumber>{shipment['tracking_number']}<" in shipment["raw"]
    orders = requests.get(f"{admin}/orders", timeout=5).json()["orders"]
    assert {o["status"] for o in orders} == {"Shipped"}
    journal = requests.get(f"{admin}/requests", timeout=10).json()["requests"]
    assert [e["status"] for e in journal] == statuses
