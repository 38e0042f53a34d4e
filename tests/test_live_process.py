"""``start_inksoft_process``: the mock in its own process, as ``mock-inksoft serve`` runs.

Both processes, the one that serves and the one that cannot start, are started together (each
start-up is mostly the new process's imports) and each test takes its own."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
import requests

from inksoft_testkit.live import LiveInkSoft, start_inksoft_process

SERVING = ["--orders", "3", "--seed", "5"]
NOT_STARTING = ["--page-size", "0"]

pytestmark = pytest.mark.slow  # served mocks in processes of their own (tests/slow_tier.py)


@pytest.fixture(scope="module")
def starts() -> Iterator[dict[str, Future[LiveInkSoft]]]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        started = {"serving": pool.submit(start_inksoft_process, SERVING)}
        started["not starting"] = pool.submit(start_inksoft_process, NOT_STARTING)
        yield started
        if started["not starting"].exception() is None:  # it started after all: a test failed
            started["not starting"].result().stop()
        if started["serving"].exception() is None:
            started["serving"].result().stop()  # a no-op when the test stopped it


def test_a_served_mock_answers_and_stops(starts):
    mock = starts["serving"].result()
    try:
        assert len(mock.admin.orders()) == 3
        answer = requests.get(
            mock.endpoint(),
            params={
                "action": "export",
                "start_date": "01/01/2000 00:00",
                "end_date": "12/31/2099 23:59",
            },
            auth=("demo", "demo-password"),
            timeout=10,
        )
        assert answer.status_code == 200
        assert answer.content.count(b"<Order>") == 3
    finally:
        mock.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{mock.url}/__admin/health", timeout=2)


def test_a_mock_that_cannot_start_says_why(starts):
    with pytest.raises(RuntimeError, match="page_size"):
        starts["not starting"].result()
