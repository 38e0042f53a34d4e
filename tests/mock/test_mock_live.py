"""The mock on its real server: concurrent notices are neither lost, nor doubled, nor mixed up;
requests waiting for a thread are not warned about; a stop survives a closed trigger."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from mock_support import AUTH, ENDPOINT, notify_params, ship_notice

from mock_inksoft.server import serve_in_thread

THREADS = 20
NOTICES_PER_THREAD = 15  # 20 clients at once beside 8 server threads: 300 notices
ORDERS = [str(7000 + n) for n in range(NOTICES_PER_THREAD)]


def notices_of(thread: int) -> list[tuple[str, str]]:
    """15 distinct notices (one package per order); thread t and its twin t + 10 send the same
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
    shipments = requests.get(f"{admin}/shipments", params={"limit": 1000}, timeout=10).json()[
        "shipments"
    ]
    applied = [(s["order_id"], s["tracking_number"]) for s in shipments]
    assert sorted(applied) == sorted({n for t in range(THREADS) for n in notices_of(t)})
    for shipment in shipments:  # each parsed notice stays with its own order
        assert shipment["tracking_number"].endswith(f"X{shipment['order_id']}")
        assert f"<TrackingNumber>{shipment['tracking_number']}<" in shipment["raw"]
    orders = requests.get(f"{admin}/orders", timeout=5).json()["orders"]
    assert {o["status"] for o in orders} == {"Shipped"}
    journal = requests.get(f"{admin}/requests", params={"limit": 1000}, timeout=10).json()[
        "requests"
    ]
    assert [e["status"] for e in journal] == statuses


class QueuedSignal(logging.Handler):
    """Sets ``queued`` when the server logs that a request waits for a thread."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.queued = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("Task queue depth"):
            self.queued.set()


def test_requests_waiting_for_a_thread_go_to_the_debug_log_not_stderr(
    caplog: pytest.LogCaptureFixture,
) -> None:
    release = threading.Event()

    def held(environ: dict, start_response: Callable) -> Iterable[bytes]:
        release.wait(10)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    server_log = logging.getLogger("mock_inksoft.server")
    signal = QueuedSignal()
    server_log.addHandler(signal)
    server = serve_in_thread(held, threads=1)
    try:
        with (
            caplog.at_level(logging.DEBUG, logger="mock_inksoft.server"),
            ThreadPoolExecutor(3) as clients,
        ):
            answers = [clients.submit(requests.get, server.url, timeout=10) for _ in range(3)]
            queued = signal.queued.wait(10)
            release.set()
            statuses = [answer.result().status_code for answer in answers]
    finally:
        release.set()
        server_log.removeHandler(signal)
        server.stop()

    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert queued, "no request waited for the one thread"
    assert statuses == [200, 200, 200]


def test_a_server_whose_trigger_was_closed_still_stops():
    """Stopping pulls waitress's trigger to wake the loop; with its pipe closed under it, the
    stop neither raises nor hangs: the loop notices within its poll timeout."""
    from mock_inksoft import create_app

    handle = serve_in_thread(create_app())
    handle._server._server.adj.asyncore_loop_timeout = 0.05  # the poll timeout, once woken:
    assert requests.get(f"{handle.url}/__admin/health", timeout=10).ok  # a second otherwise
    os.close(handle._server._server.trigger.trigger)  # the pipe's writing end, gone
    handle.stop(timeout=10)
    assert not handle._thread.is_alive()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{handle.url}/__admin/health", timeout=2)
