"""``start_inksoft_process``: the mock in its own process, as ``mock-inksoft serve`` runs."""

from __future__ import annotations

import pytest
import requests

from inksoft_testkit.live import start_inksoft_process


def test_a_served_mock_answers_and_stops():
    mock = start_inksoft_process(["--orders", "3", "--seed", "5"])
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


def test_a_mock_that_cannot_start_says_why():
    with pytest.raises(RuntimeError, match="page_size"):
        start_inksoft_process(["--page-size", "0"])
