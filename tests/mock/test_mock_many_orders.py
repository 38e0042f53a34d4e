"""A mock holding many generated orders, over real HTTP: the export walks every order exactly
once, the dashboard's first and last pages and the pages between, filters by status at depth
(through the index: a filtered page or a lookup reads only the orders it answers), a notice
applied to an order deep in the set.

The count is ``MOCK_MANY_ORDERS`` (default 1,009, so that the suite stays fast: every order
is made and rendered once by the walk; not a round number, so that every last page is a part
page); ``MOCK_MANY_ORDERS=1000000`` runs it at a million.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import requests
from lxml import html
from mock_support import AUTH, ENDPOINT, notify_params, ship_notice

from mock_inksoft import create_app
from mock_inksoft.catalog import STATUS_NAMES
from mock_inksoft.dashboard.pages import ORDERS_SHOWN
from mock_inksoft.models import GeneratedOrders, InkSoftState, Order
from mock_inksoft.server import serve_in_thread
from safexml import parse_xml

COUNT = int(os.environ.get("MOCK_MANY_ORDERS", "1009"))
FIRST = 1048001
WINDOW = {"action": "export", "start_date": "01/01/2000 00:00", "end_date": "12/31/2099 23:59"}


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    handle = serve_in_thread(create_app(), host="127.0.0.1", port=0)
    try:
        answer = requests.post(
            f"{handle.url}/__admin/orders/generate", json={"count": COUNT, "seed": 1}, timeout=600
        )
        assert answer.status_code == 201
        expected = {"count": COUNT, "first_order_id": str(FIRST)}
        assert (
            answer.json().items() >= {**expected, "last_order_id": str(FIRST + COUNT - 1)}.items()
        )
        yield handle.url
    finally:
        handle.stop()


def order_numbers_shown(url: str, query: str = "") -> list[str]:
    """The order numbers of the dashboard's orders table."""
    document = html.fromstring(requests.get(f"{url}/__admin/{query}", timeout=60).text)
    return [
        cell.text_content().strip()
        for cell in document.xpath('//section[@id="orders"]//tbody/tr/td[1]')
    ]


def ids_with_status(url: str, status: str) -> list[str]:
    """Every order ID the admin list gives for ``status``, page after page."""
    ids: list[str] = []
    offset = 0
    while offset is not None:
        params = {"status": status, "offset": offset, "limit": 1000}
        answer = requests.get(f"{url}/__admin/orders", params=params, timeout=60).json()
        ids += [order["order_id"] for order in answer["orders"]]
        offset = answer["next_offset"]
    return ids


def export(url: str, page_number: int) -> bytes:
    params = {**WINDOW, "page": str(page_number)}
    response = requests.get(f"{url}{ENDPOINT}", params=params, auth=AUTH, timeout=60)
    assert response.status_code == 200
    return response.content


def test_the_export_walks_every_order_exactly_once_in_order(url):
    requests.put(f"{url}/__admin/settings", json={"page_size": 500}, timeout=10)
    try:
        seen: list[str] = []
        modified: list[str] = []
        pages = -(-COUNT // 500)
        for number in range(1, pages + 2):
            root = parse_xml(export(url, number))
            assert root.get("pages") == str(pages)
            seen += [n.text or "" for n in root.iter("OrderNumber")]
            modified += [m.text or "" for m in root.iter("LastModified")]
        assert len(seen) == COUNT
        assert sorted(seen, key=int) == [str(FIRST + n) for n in range(COUNT)]
        stamps = [(m[6:10], m[0:2], m[3:5], m[11:]) for m in modified]  # MM/dd/yyyy HH:mm
        assert stamps == sorted(stamps)
    finally:
        requests.put(f"{url}/__admin/settings", json={"page_size": 100}, timeout=10)


def test_the_dashboard_shows_the_first_and_last_pages(url):
    first = order_numbers_shown(url)
    assert first == [str(FIRST + COUNT - 1 - n) for n in range(ORDERS_SHOWN)]
    pages = -(-COUNT // ORDERS_SHOWN)
    shown = COUNT - (pages - 1) * ORDERS_SHOWN
    last = order_numbers_shown(url, f"?page={pages}")
    assert last == [str(FIRST + shown - 1 - n) for n in range(shown)]


def test_the_dashboard_pages_meet_without_gap_or_overlap(url):
    pages = -(-COUNT // ORDERS_SHOWN)
    for number in (1, pages // 2, pages - 1):
        this, following = (
            order_numbers_shown(url, f"?page={number}"),
            order_numbers_shown(url, f"?page={number + 1}"),
        )
        assert int(this[-1]) - 1 == int(following[0]) == FIRST + COUNT - number * ORDERS_SHOWN - 1
        assert len(this) == ORDERS_SHOWN
    assert order_numbers_shown(url, f"?page={pages + 1}") == []


def test_a_deep_page_filtered_by_status_is_the_same_on_the_dashboard_and_the_api(url):
    status = "Open"
    every = ids_with_status(url, status)
    assert every == sorted(every, key=int)
    number = max(len(every) // ORDERS_SHOWN // 2, 1) + 1
    shown = order_numbers_shown(url, f"?status={status}&page={number}")
    newest_first = every[::-1]
    assert shown == newest_first[(number - 1) * ORDERS_SHOWN : number * ORDERS_SHOWN] != []
    offset = len(every) * 2 // 3
    answer = requests.get(
        f"{url}/__admin/orders", params={"status": status, "offset": offset, "limit": 5}, timeout=60
    ).json()
    assert [o["order_id"] for o in answer["orders"]] == every[offset : offset + 5]
    assert answer["total"] == len(every)


def test_a_filter_or_a_lookup_reads_only_the_orders_it_answers(url, monkeypatch):
    """Through the indexes, not a scan: only the orders a page shows are read (made or taken
    from the orders kept made), however deep the page."""
    read: list[int] = []
    reading = InkSoftState._make

    def counted(state: InkSoftState, batch: GeneratedOrders, index: int) -> Order:
        read.append(index)
        return reading(state, batch, index)

    monkeypatch.setattr(InkSoftState, "_make", counted)
    deep = {"status": "Ready to Ship", "offset": COUNT // 4, "limit": 7}
    answer = requests.get(f"{url}/__admin/orders", params=deep, timeout=60).json()
    assert [FIRST + index for index in read] == [int(o["order_id"]) for o in answer["orders"]]
    assert len(read) == 7
    read.clear()
    shown = order_numbers_shown(url, "?status=Open&page=2")
    assert sorted(FIRST + index for index in read) == sorted(int(n) for n in shown) != []
    read.clear()
    number = str(FIRST + COUNT * 3 // 4)
    assert requests.get(f"{url}/__admin/orders/{number}", timeout=60).json()["order_id"] == number
    assert requests.get(f"{url}/__admin/ui/orders/{number}", timeout=60).status_code == 200
    assert [FIRST + index for index in read] == [int(number)] * 2


def test_the_admin_lists_page_through_every_order_by_status(url):
    totals = {}
    for status in STATUS_NAMES:
        answer = requests.get(
            f"{url}/__admin/orders", params={"status": status, "limit": 7}, timeout=60
        ).json()
        assert {o["status"] for o in answer["orders"]} <= {status}
        assert len(answer["orders"]) == min(7, answer["total"])
        totals[status] = answer["total"]
    assert sum(totals.values()) == COUNT
    last = requests.get(f"{url}/__admin/orders", params={"offset": COUNT - 3}, timeout=60).json()
    assert [o["order_id"] for o in last["orders"]] == [str(FIRST + COUNT - n) for n in (3, 2, 1)]
    assert last["next_offset"] is None and last["total"] == COUNT


def test_a_notice_applies_to_an_order_deep_in_the_set(url):
    deep = str(FIRST + COUNT - 17)
    before = requests.get(f"{url}/__admin/orders/{deep}", timeout=60).json()
    assert before["order_id"] == deep
    response = requests.post(
        f"{url}{ENDPOINT}",
        params=notify_params(deep, tracking_number="1Z999AA10000000017"),
        data=ship_notice(deep, tracking="1Z999AA10000000017"),
        auth=AUTH,
        timeout=60,
    )
    assert response.status_code == 200
    after = requests.get(f"{url}/__admin/orders/{deep}", timeout=60).json()
    assert after["status"] == "Shipped" and after["last_modified"] > before["last_modified"]
    assert {k: v for k, v in after.items() if k not in ("status", "last_modified")} == {
        k: v for k, v in before.items() if k not in ("status", "last_modified")
    }
    assert deep in ids_with_status(url, "Shipped")
    if before["status"] != "Shipped":
        assert deep not in ids_with_status(url, before["status"])
    last_page = parse_xml(export(url, -(-COUNT // 100)))
    assert [n.text for n in last_page.iter("OrderNumber")][-1] == deep  # modified now: last
    everything = requests.get(f"{url}/__admin/orders", params={"limit": 1}, timeout=60).json()
    assert everything["total"] == COUNT
