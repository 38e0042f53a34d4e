"""The state's one lock: threads released together never double a shipment or a fault."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from mock_inksoft.context import EXTENSION
from mock_inksoft.models import InkSoftState, NoticeOutcome, ShipNotice

THREADS = 8
ROUNDS = 150


@pytest.fixture
def state(app: Flask) -> InkSoftState:
    return app.extensions[EXTENSION].state


@pytest.fixture(autouse=True)
def eager_thread_switching() -> Iterator[None]:
    """Threads switch far more often than usual, so that a missing lock shows."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def in_lockstep(step: Callable[[int], object]) -> list[object]:
    """``step(round)`` run by every thread, all threads released together for each round."""
    barrier = threading.Barrier(THREADS)
    results: list[object] = []

    def run() -> None:
        for round_ in range(ROUNDS):
            barrier.wait()
            results.append(step(round_))

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def notice(order_id: str) -> ShipNotice:
    return ShipNotice(
        order_id=order_id,
        order_number=order_id,
        customer_code=None,
        notes_to_customer=None,
        notify_customer=None,
        label_create_date=None,
        ship_date=None,
        carrier="UPS",
        service="",
        tracking_number=f"1Z{order_id}",
        shipping_cost=None,
        recipient=None,
        items=None,
        raw="",
    )


def test_the_same_notice_from_many_threads_at_once_is_applied_once(client, state):
    client.post("/__admin/orders", json=[{"order_id": str(n)} for n in range(ROUNDS)])
    outcomes = in_lockstep(lambda round_: state.apply_ship_notice(10001, notice(str(round_))))
    assert outcomes.count(NoticeOutcome.APPLIED) == ROUNDS
    assert sorted(s.order_id for s in state.shipments()) == sorted(str(n) for n in range(ROUNDS))


def test_a_fault_is_used_exactly_as_many_times_as_queued(client):
    client.post("/__admin/faults", json={"type": "empty", "times": ROUNDS * THREADS // 2})
    state = client.application.extensions[EXTENSION].state
    taken = in_lockstep(lambda _: state.take_fault("export", None, "1"))
    assert sum(fault is not None for fault in taken) == ROUNDS * THREADS // 2
    assert state.faults() == []


def test_order_ids_are_never_handed_out_twice(state):
    reserved = in_lockstep(lambda _: state.reserve_order_ids(2))
    ids = [order_id for pair in reserved for order_id in pair]
    assert len(set(ids)) == len(ids) == 2 * ROUNDS * THREADS


def test_a_reset_waits_for_the_store_requests_in_flight(state):
    """An answer delayed past its client's timeout must not land after the reset."""
    state.request_started()
    reset_done = threading.Event()
    resetting = threading.Thread(target=lambda: (state.reset(), reset_done.set()))
    resetting.start()
    assert not reset_done.wait(0.2), "the reset did not wait for the request in flight"
    state.request_finished()
    assert reset_done.wait(10), "the reset did not go on once the request finished"
    resetting.join()
