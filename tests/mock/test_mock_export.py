"""``action=export``: credentials, the window, the sort, paging, the empty-export quirk."""

from __future__ import annotations

import pytest
from mock_support import (
    AUTH,
    ENDPOINT,
    FIXED_NOW,
    XML_CONTENT_TYPE,
    export_params,
    order_numbers,
)

from mock_inksoft import create_app
from mock_inksoft.catalog import STATUSES
from safexml import parse_xml


def add_orders(client, *orders: dict) -> None:
    answer = client.post("/__admin/orders", json=list(orders))
    assert answer.status_code == 201, answer.json


def modified(number: str, when: str, **fields) -> dict:
    return {"order_id": number, "last_modified": when, **fields}


def export(client, **params):
    return client.get(ENDPOINT, query_string=export_params(**params), auth=AUTH)


# --- credentials -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "credentials",
    [
        {"auth": AUTH},
        {"query_string": export_params(**{"SS-UserName": "demo", "SS-Password": "demo-password"})},
        {"headers": {"SS-UserName": "demo", "SS-Password": "demo-password"}},
    ],
    ids=["basic", "query", "headers"],
)
def test_every_form_of_credentials_is_accepted(client, credentials):
    add_orders(client, {"order_id": "5901"})
    credentials.setdefault("query_string", export_params())
    response = client.get(ENDPOINT, **credentials)
    assert response.status_code == 200
    assert order_numbers(response.data) == ["5901"]


def test_the_answer_is_utf8_xml_with_nothing_before_the_declaration(client):
    add_orders(client, {"order_id": "5901", "customer_notes": "Café 🎽"})
    response = export(client)
    assert response.headers["Content-Type"] == XML_CONTENT_TYPE
    assert response.data.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<Orders pages="1">')
    assert "Café 🎽".encode() in response.data


def test_head_answers_like_get_without_a_body(client):
    add_orders(client, {"order_id": "5901"})
    response = client.head(ENDPOINT, query_string=export_params(), auth=AUTH)
    assert response.status_code == 200
    assert response.data == b""


# --- the window --------------------------------------------------------------------------------


def test_the_window_is_inclusive_on_last_modified_whatever_the_status(client):
    statuses = [name for name, _ in STATUSES] + ["Awaiting Artwork"]
    add_orders(
        client,
        modified("5911", "2026-03-03T11:59:00Z"),
        modified("5912", "2026-03-03T12:00:00Z", order_date="2026-02-01T00:00:00Z"),
        *(
            modified(str(5920 + n), f"2026-03-04T0{n}:00:00Z", status=status)
            for n, status in enumerate(statuses)
        ),
        modified("5913", "2026-03-06T12:00:00Z"),
        modified("5914", "2026-03-06T12:00:01Z"),
    )
    response = export(client, start_date="03/03/2026 12:00", end_date="03/06/2026 12:00")
    inside = ["5912", *(str(5920 + n) for n in range(len(statuses))), "5913"]
    assert order_numbers(response.data) == inside
    exported = [s.text for s in parse_xml(response.data).iter("OrderStatus")]
    assert set(statuses) <= set(exported)


def test_the_window_ignores_the_order_date(client):
    add_orders(client, modified("5931", "2026-03-05T10:00:00Z", order_date="2025-01-01T00:00:00Z"))
    assert order_numbers(
        export(client, start_date="3/5/2026 00:00", end_date="3/5/2026 23:59").data
    )
    window = {"start_date": "01/01/2025 00:00", "end_date": "01/02/2025 00:00"}
    assert export(client, **window).data == b""


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("3/5/2026 9:05", "3/5/2026 9:05"),
        ("03/05/2026 09:05:00", "03/05/2026 09:05:00"),
        ("3/5/2026 9:05 AM", "3/5/2026 9:05 am"),
        ("03/05/2026+09:05", "03/05/2026+09:05"),
        ("03/05/2026  09:04:59", "03/05/2026 9:5:1"),
    ],
)
def test_window_dates_are_read_leniently(client, start, end):
    add_orders(client, modified("5941", "2026-03-05T09:05:00Z"))
    assert order_numbers(export(client, start_date=start, end_date=end).data) == ["5941"]


def test_a_raw_query_with_plus_and_percent_twenty_is_read(client):
    add_orders(client, modified("5942", "2026-03-05T21:30:00Z"))
    query = "action=export&start_date=03/05/2026+21:30&end_date=03/05/2026%2009:30%20PM"
    assert order_numbers(client.get(f"{ENDPOINT}?{query}", auth=AUTH).data) == ["5942"]


def test_only_the_accounts_own_orders_are_exported(client):
    users = [
        {"username": "ops", "password": "pw", "permissions": ["Store Fulfillment Administration"]}
    ]
    client.post("/__admin/accounts", json={"publisher_id": "20002", "users": users})
    add_orders(client, {"order_id": "1"}, {"order_id": "2", "publisher_id": 20002})
    assert order_numbers(export(client).data) == ["1"]
    other = client.get("/20002/shipstation", query_string=export_params(), auth=("ops", "pw"))
    assert order_numbers(other.data) == ["2"]


# --- sort and pages ----------------------------------------------------------------------------


def test_orders_are_sorted_by_last_modified_then_order_id(client):
    add_orders(
        client,
        modified("30", "2026-03-05T10:00:00Z"),
        modified("9", "2026-03-05T10:00:00Z"),
        modified("100", "2026-03-04T10:00:00Z"),
        modified("20", "2026-03-05T10:00:00Z"),
    )
    assert order_numbers(export(client).data) == ["100", "9", "20", "30"]


def test_every_order_appears_exactly_once_across_the_pages():
    app = create_app({"clock": lambda: FIXED_NOW, "orders": 110, "seed": 11, "page_size": 25})
    client = app.test_client()
    seen, sizes = [], []
    for page in range(1, 6):
        root = parse_xml(export(client, page=page).data)
        assert root.get("pages") == "5"
        numbers = [n.text for n in root.iter("OrderNumber")]
        sizes.append(len(numbers))
        seen += numbers
    assert sizes == [25, 25, 25, 25, 10]
    assert sorted(seen) == [str(n) for n in range(1048001, 1048111)]
    assert len(set(seen)) == 110


def test_a_page_past_the_end_answers_an_empty_orders_with_the_page_count(client):
    add_orders(client, {"order_id": "1"}, {"order_id": "2"}, {"order_id": "3"})
    client.put("/__admin/settings", json={"page_size": 2})
    assert export(client, page=3).data == (
        b'<?xml version="1.0" encoding="utf-8"?>\n<Orders pages="2"/>\n'
    )


def test_pages_count_only_the_orders_in_the_window(client):
    add_orders(
        client,
        *(modified(str(n), "2026-03-05T10:00:00Z") for n in range(1, 6)),
        *(modified(str(n), "2026-01-05T10:00:00Z") for n in range(6, 20)),
    )
    client.put("/__admin/settings", json={"page_size": 2})
    root = parse_xml(
        export(client, start_date="03/01/2026 00:00", end_date="03/31/2026 00:00").data
    )
    assert root.get("pages") == "3"


# --- the empty export --------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["1", "2"])
def test_an_empty_window_answers_200_with_an_empty_body_by_default(client, page):
    add_orders(client, modified("1", "2026-03-05T10:00:00Z"))
    response = export(client, start_date="01/01/2001 00:00", end_date="01/02/2001 00:00", page=page)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == XML_CONTENT_TYPE
    assert response.data == b""


def test_the_empty_export_can_be_switched_to_valid_xml(client):
    client.put("/__admin/settings", json={"empty_export": "valid"})
    response = export(client)
    assert response.status_code == 200
    assert parse_xml(response.data).tag == "Orders"
    assert response.data.endswith(b'<Orders pages="0"/>\n')


def test_the_empty_export_setting_is_a_config_option_too():
    client = create_app({"empty_export": "valid"}).test_client()
    assert parse_xml(export(client).data).get("pages") == "0"


# --- determinism -------------------------------------------------------------------------------


def test_the_same_seed_and_clock_give_byte_identical_exports():
    def exported(seed: int) -> bytes:
        app = create_app({"clock": lambda: FIXED_NOW, "orders": 60, "seed": seed})
        return export(app.test_client()).data

    assert exported(7) == exported(7)
    assert exported(7) != exported(8)


def test_generated_orders_are_the_same_later_the_same_day():
    later = FIXED_NOW.replace(hour=23, minute=59)
    first = create_app({"clock": lambda: FIXED_NOW, "orders": 20, "seed": 3})
    second = create_app({"clock": lambda: later, "orders": 20, "seed": 3})
    assert export(first.test_client()).data == export(second.test_client()).data
