"""Whole export answers are kept as bytes: a repeated export is answered without rendering,
yet every request is still checked, warned about, faulted and journalled, and any change that
could alter a page (a notice, a new, changed or generated order, a reset, a setting) makes the
next export render anew. Over real HTTP, large answers are sent from their own bytes."""

from __future__ import annotations

import pytest
import requests
from mock_support import AUTH, ENDPOINT, Clock, export_params, order_numbers

from mock_inksoft import create_app
from mock_inksoft.context import EXTENSION
from mock_inksoft.render import AnswerCache
from mock_inksoft.server import SENT_IN_PLACE
from safexml import parse_xml


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def mock_app(clock: Clock):
    return create_app({"clock": clock})


@pytest.fixture
def client(mock_app):
    return mock_app.test_client()


@pytest.fixture
def renders(mock_app, monkeypatch) -> list[int]:
    """How many orders each rendering of an export page held, one item per rendering."""
    renderer = mock_app.extensions[EXTENSION].renderer
    done: list[int] = []
    render = renderer.orders

    def counted(orders, pages):
        done.append(len(orders))
        return render(orders, pages)

    monkeypatch.setattr(renderer, "orders", counted)
    return done


def add(client, order_id: int, modified: str = "2026-03-01T10:00:00Z", **fields) -> None:
    order = {"order_id": order_id, "order_number": str(order_id), "last_modified": modified}
    assert client.post("/__admin/orders", json={**order, **fields}).status_code == 201


def export(client, **params):
    return client.get(ENDPOINT, query_string=export_params(**params), auth=AUTH)


def journal(client) -> list[dict]:
    return client.get("/__admin/requests").json["requests"]


def test_a_repeated_export_is_the_same_bytes_rendered_once(client, renders):
    add(client, 601)
    add(client, 602)
    first, second = export(client), export(client)
    assert first.data == second.data
    assert order_numbers(second.data) == ["601", "602"]
    assert renders == [2]


def test_each_page_window_and_account_is_kept_apart(client, renders):
    users = [{"username": "other", "password": "pw", "permissions": []}]
    assert client.post("/__admin/accounts", json={"publisher_id": 20002, "users": users})
    for n in range(3):
        add(client, 601 + n, f"2026-03-01T1{n}:00:00Z")
    add(client, 700, publisher_id=20002)
    assert client.put("/__admin/settings", json={"page_size": 2}).status_code == 200
    assert order_numbers(export(client).data) == ["601", "602"]
    assert order_numbers(export(client, page=2).data) == ["603"]
    assert order_numbers(export(client, end_date="03/01/2026 10:30").data) == ["601"]
    other = client.get(
        "/20002/shipstation",
        query_string=export_params(),
        auth=("other", "pw"),
    )
    assert other.status_code == 403  # the account's user lacks the permission: checked first
    assert order_numbers(export(client).data) == ["601", "602"]
    assert renders == [2, 1, 1]


def test_a_cached_answer_still_checks_the_credentials(client):
    add(client, 601)
    assert export(client).status_code == 200
    wrong = client.get(ENDPOINT, query_string=export_params(), auth=("demo", "wrong"))
    assert wrong.status_code == 401
    assert client.get(ENDPOINT, query_string=export_params()).status_code == 401


def test_a_cached_answer_is_journalled_warned_about_and_faulted(client, clock, renders):
    add(client, 601)
    assert export(client).status_code == 200
    future = "03/09/2026 12:00"  # a day after the mock's clock
    assert export(client, start_date=future).status_code == 200
    assert export(client, start_date=future).status_code == 200
    clock.advance(days=2)  # the same window is no longer in the future
    assert export(client, start_date=future).status_code == 200
    fault = {"type": "status", "status": 503, "action": "export"}
    assert client.post("/__admin/faults", json=fault).status_code == 201
    assert export(client).status_code == 503
    truncated = {"type": "truncated", "action": "export"}
    assert client.post("/__admin/faults", json=truncated).status_code == 201
    cut = export(client).data
    whole = export(client).data  # the fault was used up: the kept answer is whole
    assert order_numbers(whole) == ["601"]
    assert cut == whole[: len(whole) // 2]
    entries = journal(client)
    assert [e["status"] for e in entries] == [200, 200, 200, 200, 503, 200, 200]
    assert [len(e["warnings"]) for e in entries] == [0, 1, 1, 0, 0, 0, 0]
    assert [e["fault"] for e in entries] == [None] * 4 + ["status", "truncated", None]
    assert renders == [1]  # the window from the future has no orders: InkSoft's empty answer


def test_a_shipment_notice_is_in_the_next_answer(client):
    add(client, 601, status="Ready to Ship")
    assert parse_xml(export(client).data).findtext("Order/OrderStatus") == "Ready to Ship"
    notice = b"<ShipNotice><OrderID>601</OrderID><Carrier>UPS</Carrier></ShipNotice>"
    shipped = client.post(
        ENDPOINT,
        query_string={"action": "shipnotify", "tracking_number": "1Z9"},
        data=notice,
        auth=AUTH,
        content_type="application/xml",
    )
    assert shipped.status_code == 200
    assert parse_xml(export(client).data).findtext("Order/OrderStatus") == "Shipped"


def test_a_new_order_a_changed_one_and_a_generated_set_are_in_the_next_answer(client):
    add(client, 601)
    assert order_numbers(export(client).data) == ["601"]
    add(client, 602)
    assert order_numbers(export(client).data) == ["601", "602"]
    assert client.patch("/__admin/orders/601", json={"order_number": "A-601"}).status_code == 200
    assert order_numbers(export(client).data) == ["602", "A-601"]
    generated = client.post("/__admin/orders/generate", json={"count": 3, "seed": 4})
    assert generated.status_code == 201
    assert len(order_numbers(export(client).data)) == 5


def test_a_reset_empties_the_next_answer(client):
    add(client, 601)
    assert order_numbers(export(client).data) == ["601"]
    assert client.post("/__admin/reset").status_code == 200
    assert export(client).data == b""  # InkSoft's empty answer


def test_a_reset_brings_back_the_starting_orders_not_a_later_answer():
    client = create_app({"orders": 3, "seed": 2}).test_client()
    starting = export(client).data
    assert len(order_numbers(starting)) == 3
    assert client.post("/__admin/orders/generate", json={"count": 2}).status_code == 201
    assert len(order_numbers(export(client).data)) == 5
    assert client.post("/__admin/reset").status_code == 200
    assert export(client).data == starting


def test_the_empty_export_setting_changes_the_next_empty_answer(client):
    assert export(client).data == b""
    valid = client.put("/__admin/settings", json={"empty_export": "valid"})
    assert valid.status_code == 200
    assert parse_xml(export(client).data).get("pages") == "0"
    add(client, 601)
    assert order_numbers(export(client).data) == ["601"]


def test_the_cache_keeps_the_latest_answers_within_its_bytes():
    cache = AnswerCache(limit=10)
    cache.put("a", 1, b"aaaa")
    cache.put("b", 1, b"bbbb")
    assert cache.get("a", 1) == b"aaaa"  # now the most recently served
    cache.put("c", 1, b"cccc")  # over 10 bytes: the least recently served goes
    assert (cache.get("a", 1), cache.get("b", 1), cache.get("c", 1)) == (b"aaaa", None, b"cccc")
    assert cache.get("a", 2) is None  # made at another version
    cache.put("a", 2, b"AAAAAAA")
    assert (cache.get("a", 2), cache.get("c", 1)) == (b"AAAAAAA", None)
    cache.put("huge", 2, b"x" * 11)  # never kept: larger than the whole cache
    assert (cache.get("huge", 2), cache.get("a", 2)) == (None, b"AAAAAAA")


def test_large_answers_arrive_whole_one_after_another_on_one_connection(live):
    generated = requests.post(
        f"{live.url}/__admin/orders/generate", json={"count": 60, "seed": 3}, timeout=30
    )
    assert generated.status_code == 201
    url = f"{live.url}{ENDPOINT}"
    with requests.Session() as session:
        answers = [
            session.get(url, params=export_params(), auth=AUTH, timeout=30) for _ in range(3)
        ]
        small = session.get(f"{live.url}/__admin/health", timeout=30)
    assert small.ok
    first = answers[0].content
    assert len(first) > SENT_IN_PLACE  # sent from its own bytes, not waitress's buffer
    assert len(order_numbers(first)) == 60
    for answer in answers:
        assert answer.content == first
        assert answer.headers["Content-Length"] == str(len(first))
