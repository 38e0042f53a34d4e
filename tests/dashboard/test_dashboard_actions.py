"""The dashboard's forms: each a plain POST answered by a redirect, or a 400 page naming the
problem (never a stack trace)."""

from __future__ import annotations

import pytest
from dashboard_support import AUTH, ENDPOINT, alert, flashed, page, table_rows, texts
from flask.testing import FlaskClient

from mock_inksoft.drafts import GENERATED_MEMORY_BUDGET, GENERATED_ORDER_BYTES

EVERYTHING = {"action": "export", "start_date": "01/01/2000 00:00", "end_date": "12/31/2099 23:59"}

MOST_GENERATED = GENERATED_MEMORY_BUDGET // GENERATED_ORDER_BYTES


def post(client: FlaskClient, path: str, **form: str):
    """POST the form and check the POST/redirect/GET answer; the page it leads to."""
    response = client.post(path, data=form)
    assert response.status_code == 303, response.data[:300]
    assert response.location == "/__admin/"
    return page(client.get(response.location))


def refused(client: FlaskClient, path: str, **form: str) -> str:
    """POST the form, check it is refused with a 400 page; the message it shows."""
    response = client.post(path, data=form)
    assert response.status_code == 400
    assert b"Traceback" not in response.data
    return alert(page(response))


def stored_orders(client: FlaskClient) -> list[dict]:
    return client.get("/__admin/orders").json["orders"]


def test_generate_adds_seeded_orders(client: FlaskClient):
    document = post(client, "/__admin/ui/generate", count="4", seed="9", status="")
    assert flashed(document) == ["Generated 4 orders (1048001–1048004) with seed 9."]
    assert len(table_rows(document, "orders")) == 4
    generated = stored_orders(client)
    client.post("/__admin/ui/reset")  # the same seed gives what the JSON API's generate gives
    client.post("/__admin/orders/generate", json={"count": 4, "seed": 9})
    assert stored_orders(client) == generated


def test_generate_with_a_status_and_a_single_order(client: FlaskClient):
    document = post(client, "/__admin/ui/generate", count="1", seed="0", status="On Hold")
    assert flashed(document) == ["Generated 1 order (1048001) with seed 0."]
    assert [order["status"] for order in stored_orders(client)] == ["On Hold"]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"count": "", "seed": "1"}, "Count is required."),
        ({"count": "many", "seed": "1"}, "Count must be a whole number."),
        ({"count": "2.5", "seed": "1"}, "Count must be a whole number."),
        ({"count": "nan", "seed": "1"}, "Count must be a whole number."),
        ({"count": "0", "seed": "1"}, "Count must be at least 1."),
        (
            {"count": str(MOST_GENERATED + 1), "seed": "1"},
            f"Count must be at most {MOST_GENERATED}: the mock holds 0 generated orders",
        ),
        ({"count": "2", "seed": "-1"}, "Seed must be at least 0."),
        ({"count": "2", "seed": "x"}, "Seed must be a whole number."),
        ({"count": "2", "status": "Lost"}, "Status must be one of Ready to Ship, Open,"),
    ],
)
def test_generate_refuses_bad_input(client: FlaskClient, form: dict, message: str):
    assert refused(client, "/__admin/ui/generate", **form).startswith(message)
    assert stored_orders(client) == []


def test_a_refused_form_keeps_what_was_typed(client: FlaskClient):
    response = client.post("/__admin/ui/generate", data={"count": "many", "seed": "42"})
    document = page(response)
    assert document.xpath('//input[@name="count"]/@value') == ["many"]
    assert document.xpath('//input[@name="seed"]/@value') == ["42"]


def test_the_empty_export_switches_between_quirk_and_valid(client: FlaskClient):
    assert client.get(ENDPOINT, query_string=EVERYTHING, auth=AUTH).data == b""
    document = post(client, "/__admin/ui/settings", empty_export="valid")
    assert flashed(document) == ["An empty export now answers the 'valid' way."]
    assert document.xpath('//input[@name="empty_export"][@checked]/@value') == ["valid"]
    assert b'<Orders pages="0"/>' in client.get(ENDPOINT, query_string=EVERYTHING, auth=AUTH).data
    post(client, "/__admin/ui/settings", empty_export="quirk")
    assert client.get("/__admin/settings").json["empty_export"] == "quirk"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "Empty export is required."),
        ({"empty_export": "strict"}, "Empty export must be one of quirk, valid."),
    ],
)
def test_the_empty_export_refuses_bad_input(client: FlaskClient, form: dict, message: str):
    assert refused(client, "/__admin/ui/settings", **form) == message


def test_a_queued_fault_answers_the_next_matching_request(client: FlaskClient):
    form = {"type": "status", "action": "export", "times": "2", "http_status": "503"}
    document = post(client, "/__admin/ui/faults", **form, retry_after="7", seconds="")
    assert flashed(document) == ["Queued a 'status' fault for action 'export' (2×)."]
    assert client.get("/__admin/faults").json["faults"] == [
        {
            "type": "status",
            "action": "export",
            "order_number": None,
            "page": None,
            "times": 2,
            "status": 503,
            "retry_after": 7,
            "body": None,
        }
    ]
    answer = client.get(ENDPOINT, query_string=EVERYTHING, auth=AUTH)
    assert (answer.status_code, answer.headers["Retry-After"]) == (503, "7")


def test_a_delay_fault_and_clearing_faults(client: FlaskClient):
    post(client, "/__admin/ui/faults", type="delay", action="*", seconds="0.5", order_number="7")
    assert client.get("/__admin/faults").json["faults"][0]["seconds"] == 0.5
    document = post(client, "/__admin/ui/faults/clear")
    assert flashed(document) == ["Cleared the queued faults."]
    assert client.get("/__admin/faults").json == {"faults": []}


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"action": "export"}, "Type is required."),
        ({"type": "flood"}, "Type must be one of status, delay,"),
        ({"type": "status"}, "HTTP status is required."),
        ({"type": "status", "http_status": "99"}, "HTTP status must be at least 200."),
        ({"type": "delay", "seconds": "1", "http_status": "500"}, "HTTP status is not a parameter"),
        ({"type": "delay"}, "Seconds is required."),
        ({"type": "delay", "seconds": "soon"}, "Seconds must be a number."),
        ({"type": "empty", "times": "0"}, "Times must be at least 1."),
        ({"type": "empty", "action": "import"}, "Action must be one of export, shipnotify, *."),
    ],
)
def test_a_fault_refuses_bad_input(client: FlaskClient, form: dict, message: str):
    assert refused(client, "/__admin/ui/faults", **form).startswith(message)
    assert client.get("/__admin/faults").json == {"faults": []}


def test_reset_through_the_form(client: FlaskClient):
    client.post("/__admin/orders/generate", json={"count": 3, "seed": 1})
    client.put("/__admin/settings", json={"empty_export": "valid"})
    client.get(ENDPOINT, query_string=EVERYTHING, auth=AUTH)
    document = post(client, "/__admin/ui/reset")
    assert flashed(document) == [
        "Reset: the default account and settings, the orders the mock started with; "
        "no shipments, journal or faults."
    ]
    assert stored_orders(client) == []
    assert client.get("/__admin/requests").json["requests"] == []
    assert client.get("/__admin/settings").json["empty_export"] == "quirk"
    assert flashed(page(client.get("/__admin/"))) == []  # a message shows once


def test_a_form_posted_from_another_site_is_refused(client: FlaskClient):
    for headers in (
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # another port of the same host
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
    ):
        response = client.post("/__admin/ui/reset", headers=headers)
        assert response.status_code == 403
        assert "A form from another site cannot drive this dashboard." in texts(
            page(response), "//p"
        )
    same_origin = {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}
    assert client.post("/__admin/ui/reset", headers=same_origin).status_code == 303
    assert (
        client.post("/__admin/ui/reset", headers={"Origin": "http://localhost"}).status_code == 303
    )
