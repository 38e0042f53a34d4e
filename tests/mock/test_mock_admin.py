"""The ``/__admin/`` control API: answers, order JSON, validation, reset, journal, token."""

from __future__ import annotations

import json

import pytest
from mock_support import (
    AUTH,
    ENDPOINT,
    FIXED_NOW,
    Clock,
    export_params,
    notify_params,
    ship_notice,
)

from mock_inksoft import admin, create_app
from mock_inksoft.drafts import GENERATED_MEMORY_BUDGET, GENERATED_ORDER_BYTES
from safexml import parse_xml

DEFAULT_ACCOUNT = {
    "publisher_id": 10001,
    "active": True,
    "users": [{"username": "demo", "permissions": ["Store Fulfillment Administration"]}],
}
DEFAULT_SETTINGS = {
    "page_size": 100,
    "empty_export": "quirk",
    "max_body_bytes": 1048576,
    "journal_size": 500,
}

MOST_GENERATED = GENERATED_MEMORY_BUDGET // GENERATED_ORDER_BYTES


def add(client, payload) -> list[dict]:
    answer = client.post("/__admin/orders", json=payload)
    assert answer.status_code == 201, answer.json
    return answer.json["orders"]


def refused(answer, field: str) -> str:
    assert answer.status_code == 400, answer.json
    assert answer.json["field"] == field
    assert field in answer.json["error"]
    return answer.json["error"]


def test_health(client):
    assert client.get("/__admin/health").json == {"status": "ok"}


# --- reset -------------------------------------------------------------------------------------


def test_reset_restores_the_start(client):
    client.post("/__admin/accounts", json={"publisher_id": 20002, "users": []})
    replaced = {**DEFAULT_ACCOUNT, "active": False, "users": [], "replace": True}
    client.post("/__admin/accounts", json=replaced)
    add(client, {"order_id": "5931"})
    client.post(ENDPOINT, query_string=notify_params("5931"), data=ship_notice("5931"), auth=AUTH)
    client.post("/__admin/faults", json={"type": "empty"})
    client.put("/__admin/settings", json={"page_size": 5, "empty_export": "valid"})

    assert client.post("/__admin/reset").json == {"status": "reset"}

    assert client.get("/__admin/accounts").json == {"accounts": [DEFAULT_ACCOUNT]}
    assert client.get("/__admin/orders").json["orders"] == []
    assert client.get("/__admin/shipments").json["shipments"] == []
    assert client.get("/__admin/requests").json["requests"] == []
    assert client.get("/__admin/faults").json == {"faults": []}
    assert client.get("/__admin/settings").json == DEFAULT_SETTINGS
    assert add(client, {})[0]["order_id"] == "1048001"


def test_reset_is_post_only(client):
    answer = client.get("/__admin/reset")
    assert answer.status_code == 405
    assert "error" in answer.json
    assert answer.headers["Allow"] == "POST"


def test_reset_brings_back_the_orders_generated_at_start_and_delete_empties_them():
    client = create_app({"orders": 5, "seed": 3}).test_client()
    started = client.get("/__admin/orders").json["orders"]
    assert len(started) == 5
    client.patch(f"/__admin/orders/{started[0]['order_id']}", json={"status": "Canceled"})
    add(client, {"order_id": "77"})

    client.post("/__admin/reset")
    assert client.get("/__admin/orders").json["orders"] == started
    assert add(client, {})[0]["order_id"] == "1048006"  # IDs go on from the start

    assert client.delete("/__admin/orders").json == {"orders": []}
    assert client.get("/__admin/orders").json["orders"] == []
    assert add(client, {})[0]["order_id"] == "1048001"
    client.post("/__admin/reset")
    assert client.get("/__admin/orders").json["orders"] == started


# --- accounts ----------------------------------------------------------------------------------


def test_accounts_are_created_replaced_and_listed_without_passwords(client):
    users = [
        {"username": "ops", "password": "s3cret"},  # no permissions said: the one needed
        {"username": "viewer", "password": "v1ewer", "permissions": []},
    ]
    answer = client.post("/__admin/accounts", json={"publisher_id": "20002", "users": users})
    assert answer.status_code == 201
    assert answer.json == {
        "publisher_id": 20002,
        "active": True,
        "users": [
            {"username": "ops", "permissions": ["Store Fulfillment Administration"]},
            {"username": "viewer", "permissions": []},
        ],
    }
    again = {"publisher_id": 20002, "active": False, "users": []}
    conflict = client.post("/__admin/accounts", json=again)
    assert conflict.status_code == 409
    assert conflict.json["field"] == "publisher_id"
    assert '"replace": true' in conflict.json["error"]
    assert client.get("/__admin/accounts").json["accounts"][1]["active"] is True
    assert client.post("/__admin/accounts", json={**again, "replace": True}).status_code == 201
    listed = client.get("/__admin/accounts").json["accounts"]
    assert listed == [DEFAULT_ACCOUNT, {"publisher_id": 20002, "active": False, "users": []}]
    assert b"s3cret" not in client.get("/__admin/accounts").data


USER = {"username": "a", "password": "x"}


@pytest.mark.parametrize(
    ("account", "field"),
    [
        ({"users": []}, "publisher_id"),
        ({"publisher_id": "20-02"}, "publisher_id"),
        ({"publisher_id": True}, "publisher_id"),
        ({"publisher_id": 1, "active": "yes"}, "active"),
        ({"publisher_id": 1, "users": [{"password": "x"}]}, "users[0].username"),
        ({"publisher_id": 1, "users": [{"username": "a"}]}, "users[0].password"),
        ({"publisher_id": 1, "users": [{**USER, "permissions": "all"}]}, "users[0].permissions"),
        ({"publisher_id": 1, "users": [USER, USER]}, "users[1].username"),
        ({"publisher_id": 1, "owner": "me"}, "owner"),
    ],
)
def test_a_bad_account_is_refused_naming_the_field(client, account, field):
    refused(client.post("/__admin/accounts", json=account), field)


# --- orders ------------------------------------------------------------------------------------


def test_a_hand_written_order_is_filled_by_faker_and_dated_now(client):
    [order] = add(client, {"order_id": 5201, "order_number": "5201", "status": "Open"})
    assert (order["order_id"], order["order_number"], order["status"]) == ("5201", "5201", "Open")
    assert order["last_modified"] == "2026-03-08T15:30:00Z"
    assert order["order_date"] <= order["last_modified"]
    assert order["customer"]["ship_to"]["address1"]
    assert order["customer"]["bill_to"]["email"] == order["customer"]["email"]
    assert order["items"]
    for item in order["items"]:
        if not item["adjustment"]:
            assert {o["name"] for o in item["options"]} >= {"Color", "Size", "Design"}
    lines = sum(round(i["quantity"] * i["unit_price"], 2) for i in order["items"])
    assert order["order_total"] == pytest.approx(
        lines + order["tax_amount"] + order["shipping_amount"], abs=0.005
    )


def test_a_filled_order_depends_on_its_id_alone_not_on_what_was_filled_before(client):
    [first] = add(client, {"order_id": 5301})
    add(client, [{"order_id": 5302}, {"order_id": 5303, "gift": True}])
    changed = client.patch("/__admin/orders/5302", json={"items": [{"quantity": 3}]})
    assert changed.status_code == 200, changed.json  # its item filled by the same Faker
    other = create_app({"clock": lambda: FIXED_NOW}).test_client()
    [again] = add(other, {"order_id": 5301})
    assert again == first
    [neighbour] = add(other, {"order_id": 5302})
    assert neighbour["customer"] != first["customer"]


def test_the_answer_has_every_documented_field(client):
    [order] = add(client, {})
    assert list(order) == [
        "publisher_id", "order_id", "order_number", "order_date", "last_modified", "status",
        "shipping_method", "payment_method", "order_total", "tax_amount", "shipping_amount",
        "customer_notes", "internal_notes", "gift", "gift_message", "coupon_codes", "weight",
        "customer", "items",
    ]  # fmt: skip
    assert list(order["customer"]) == ["email", "bill_to", "ship_to"]
    assert list(order["customer"]["bill_to"]) == ["name", "company", "phone", "email"]
    assert list(order["customer"]["ship_to"]) == [
        "name", "company", "address1", "address2", "city", "state", "postal_code", "country",
        "phone",
    ]  # fmt: skip
    assert list(order["items"][0]) == [
        "line_item_id", "sku", "name", "image_url", "weight", "weight_units", "quantity",
        "unit_price", "location", "options", "adjustment",
    ]  # fmt: skip


def test_an_order_read_back_and_posted_again_is_the_same_order(client):
    original = client.post("/__admin/orders/generate", json={"count": 1, "seed": 4}).json["orders"][
        0
    ]
    [copy] = add(client, {**original, "order_id": "77", "order_number": "77"})
    assert {**copy, "order_id": original["order_id"], "order_number": original["order_number"]} == (
        original
    )


def test_given_items_keep_their_fields_and_get_the_rest(client):
    items = [
        {"sku": "G500-NAVY-L", "name": "Gildan 5000 Tee", "quantity": 2, "unit_price": 18.0,
         "options": [{"name": "Color", "value": "Navy"}, {"name": "Size", "value": "L"},
                     {"name": "Design", "value": "Eagles Front Logo"}]},
        {"sku": "SPRING10", "name": "Coupon SPRING10", "unit_price": -3.6, "adjustment": True},
    ]  # fmt: skip
    [order] = add(
        client, {"order_id": "5405", "items": items, "tax_amount": 0, "shipping_amount": 5}
    )
    shirt, coupon = order["items"]
    assert shirt["line_item_id"] == "5405-1"
    assert shirt["image_url"] == "https://cdn.inksoft.test/designs/eagles-front-logo/navy.png"
    assert shirt["weight"] > 0 and shirt["location"]
    assert coupon == {
        "line_item_id": None, "sku": "SPRING10", "name": "Coupon SPRING10", "image_url": None,
        "weight": None, "weight_units": None, "quantity": 1, "unit_price": -3.6,
        "location": None, "options": [], "adjustment": True,
    }  # fmt: skip
    assert order["coupon_codes"] == ["SPRING10"]
    assert order["order_total"] == 37.4
    assert order["weight"] == {"value": round(2 * shirt["weight"], 2), "units": "Ounces"}


def test_the_total_weight_is_the_items_in_ounces_unless_given(client):
    items = [
        {"quantity": 2, "weight": 6.1, "weight_units": "Ounces"},
        {"quantity": 1, "weight": 1, "weight_units": "Pounds"},
        {"quantity": 1, "weight": 283.49523125, "weight_units": "Grams"},
    ]
    assert add(client, {"items": items})[0]["weight"] == {"value": 38.2, "units": "Ounces"}
    given = add(client, {"items": items, "weight": {"value": 20.5, "units": "Pounds"}})[0]
    assert given["weight"] == {"value": 20.5, "units": "Pounds"}
    assert add(client, {"items": items, "weight": None})[0]["weight"] is None


def test_an_item_without_weight_has_no_weight_unit(client):
    items = [{"sku": "G500-NAVY-L", "weight": None, "location": None}, {"weight": 6.1}]
    without, with_weight = add(client, {"items": items})[0]["items"]
    assert (without["weight"], without["weight_units"], without["location"]) == (None, None, None)
    assert (with_weight["weight"], with_weight["weight_units"]) == (6.1, "Ounces")


def test_null_fields_are_left_out_of_the_export(client):
    add(client, {"order_id": "1", "ship_to": None, "weight": None, "customer_notes": None,
                 "customer": {"bill_to": {"name": "Jane Doe", "phone": None}}})  # fmt: skip
    order = parse_xml(client.get(ENDPOINT, query_string=export_params(), auth=AUTH).data)[0]
    assert order.find("Weight") is None and order.find("CustomerNotes") is None
    assert order.find("Customer/BillTo/Phone") is None
    ship_to = order.find("Customer/ShipTo")
    assert [(child.tag, child.text) for child in ship_to] == [
        ("Name", "Jane Doe"), ("Address1", None), ("City", None), ("PostalCode", None),
        ("Country", None),
    ]  # fmt: skip


def test_a_partial_ship_to_is_completed(client):
    [order] = add(client, {"customer": {"ship_to": {"city": "Austin", "state": "TX"}}})
    ship_to = order["customer"]["ship_to"]
    assert (ship_to["city"], ship_to["state"], ship_to["country"]) == ("Austin", "TX", "US")
    assert ship_to["address1"] and ship_to["postal_code"]


def test_several_orders_are_added_at_once_or_not_at_all(client):
    assert [o["order_id"] for o in add(client, [{}, {"order_id": "9"}, {}])] == [
        "1048001",
        "9",
        "1048002",
    ]
    answer = client.post("/__admin/orders", json=[{"order_id": "10"}, {"order_id": "9"}])
    refused(answer, "[1].order_id")
    assert "10" not in [o["order_id"] for o in client.get("/__admin/orders").json["orders"]]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": ""}, "status"),
        ({"status": None}, "status"),
        ({"order_total": "12.00"}, "order_total"),
        ({"gift": "yes"}, "gift"),
        ({"last_modified": "yesterday"}, "last_modified"),
        ({"coupon_codes": "SPRING10"}, "coupon_codes"),
        ({"weight": {"value": 1, "units": "Stones"}}, "weight.units"),
        ({"customer": {"ship_to": {"city": None}}}, "customer.ship_to.city"),
        ({"customer": {"bill_to": "Jane"}}, "customer.bill_to"),
        ({"items": {"sku": "x"}}, "items"),
        ({"items": [{}, {"quantity": 1.5}]}, "items[1].quantity"),
        ({"items": [{"options": [{"name": "Color"}]}]}, "items[0].options[0].value"),
        ({"items": [{"weight": 3, "weight_units": None}]}, "items[0].weight_units"),
        ({"publisher_id": 99999}, "publisher_id"),
        ({"shipto": None}, "shipto"),
        ({"ship_to": None, "customer": {"ship_to": None}}, "ship_to"),
        ([{}, {"customer": {"email": 5}}], "[1].customer.email"),
        ([], "body"),
        ("an order", "body"),
    ],
)
def test_a_bad_order_is_refused_naming_the_field(client, payload, field):
    refused(client.post("/__admin/orders", json=payload), field)
    assert client.get("/__admin/orders").json["orders"] == []


def test_a_control_body_over_its_limit_is_413(client, monkeypatch):
    monkeypatch.setattr(admin, "MAX_CONTROL_BODY", 10)
    answer = client.post("/__admin/orders", json={"order_id": "123456789"})
    assert answer.status_code == 413
    assert "10-byte" in answer.json["error"]


def test_a_body_that_is_not_json_is_refused(client):
    answer = client.post("/__admin/orders", data=b"{nope", content_type="application/json")
    refused(answer, "body")


# --- generate ----------------------------------------------------------------------------------


def test_generate_adds_sequential_orders_with_fixed_fields(client):
    answer = client.post(
        "/__admin/orders/generate", json={"count": 30, "seed": 7, "status": "On Hold"}
    )
    assert answer.status_code == 201
    orders = answer.json["orders"]
    assert [o["order_id"] for o in orders] == [str(1048001 + n) for n in range(30)]
    assert {o["status"] for o in orders} == {"On Hold"}
    more = client.post("/__admin/orders/generate", json={"count": 2, "seed": 7}).json["orders"]
    assert [o["order_id"] for o in more] == ["1048031", "1048032"]


@pytest.mark.parametrize(
    ("fixed", "with_address"),
    [({"with_ship_to": True}, True), ({"ship_to": None}, False), ({"with_ship_to": False}, False)],
)
def test_generate_can_fix_the_shipping_address(client, fixed, with_address):
    orders = client.post("/__admin/orders/generate", json={"count": 60, "seed": 1, **fixed}).json
    assert {o["customer"]["ship_to"] is not None for o in orders["orders"]} == {with_address}


def test_generate_for_another_account(client):
    client.post("/__admin/accounts", json={"publisher_id": 20002, "users": []})
    client.post("/__admin/orders/generate", json={"count": 2, "publisher_id": "20002"})
    assert len(client.get("/__admin/orders?publisher_id=20002").json["orders"]) == 2
    assert client.get("/__admin/orders?publisher_id=10001").json["orders"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"seed": 1}, "count"),
        ({"count": 0}, "count"),
        ({"count": MOST_GENERATED + 1}, "count"),
        ({"count": 1, "seed": "seven"}, "seed"),
        ({"count": 1, "with_ship_to": "yes"}, "with_ship_to"),
        ({"count": 1, "gift": 3}, "gift"),
        ({"count": 2, "order_id": "5"}, "order_id"),
    ],
)
def test_a_bad_generate_request_is_refused(client, body, field):
    refused(client.post("/__admin/orders/generate", json=body), field)
    assert client.get("/__admin/orders").json["orders"] == []


# --- reading and changing orders ---------------------------------------------------------------


def test_orders_are_filtered_by_status(client):
    add(client, [{"order_id": "1", "status": "Open"}, {"order_id": "2", "status": "Canceled"}])
    listed = client.get("/__admin/orders", query_string={"status": "Canceled"}).json["orders"]
    assert [o["order_id"] for o in listed] == ["2"]


def test_an_order_is_read_by_id_or_number(client):
    add(client, {"order_id": "1", "order_number": "A-1"})
    assert client.get("/__admin/orders/1").json["order_number"] == "A-1"
    assert client.get("/__admin/orders/A-1").json["order_id"] == "1"
    missing = client.get("/__admin/orders/2")
    assert missing.status_code == 404 and "2" in missing.json["error"]


def test_a_change_merges_and_moves_the_last_modified_time():
    clock = Clock()
    client = create_app({"clock": clock}).test_client()
    [before] = add(client, {"order_id": "5231", "customer_notes": "Leave at door"})
    clock.advance(minutes=30)
    changed = client.patch(
        "/__admin/orders/5231",
        json={"customer_notes": "Ring the bell", "customer": {"ship_to": {"city": "Denver"}}},
    ).json
    assert changed["customer_notes"] == "Ring the bell"
    assert changed["customer"]["ship_to"]["city"] == "Denver"
    assert changed["customer"]["ship_to"]["address1"] == before["customer"]["ship_to"]["address1"]
    assert changed["items"] == before["items"]
    assert changed["last_modified"] == "2026-03-08T16:00:00Z"
    dated = client.patch("/__admin/orders/5231", json={"last_modified": "2026-03-01T00:00:00Z"})
    assert dated.json["last_modified"] == "2026-03-01T00:00:00Z"


def test_a_change_can_remove_and_restore_the_address(client):
    add(client, {"order_id": "1"})
    assert (
        client.patch("/__admin/orders/1", json={"ship_to": None}).json["customer"]["ship_to"]
        is None
    )
    restored = client.patch("/__admin/orders/1", json={"ship_to": {"city": "Austin"}}).json
    assert restored["customer"]["ship_to"]["city"] == "Austin"
    assert restored["customer"]["ship_to"]["address1"]


def test_a_status_change_keeps_the_lines_already_shipped(client):
    add(client, {"order_id": "1", "items": [{"line_item_id": "1-1"}, {"line_item_id": "1-2"}]})
    body = ship_notice("1", lines=["1-1"])
    client.post(ENDPOINT, query_string=notify_params("1"), data=body, auth=AUTH)
    client.patch("/__admin/orders/1", json={"status": "On Hold"})
    body = ship_notice("1", tracking="1Z2", lines=["1-2"])
    query = notify_params("1", tracking_number="1Z2")
    client.post(ENDPOINT, query_string=query, data=body, auth=AUTH)
    assert client.get("/__admin/orders/1").json["status"] == "Shipped"


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"order_id": "2"}, 400, "order_id"),
        ({"order_total": "lots"}, 400, "order_total"),
        ({"publisher_id": 424242}, 400, "publisher_id"),
        (["status"], 400, "body"),
    ],
)
def test_a_bad_change_is_refused(client, change, status, field):
    add(client, {"order_id": "1"})
    answer = client.patch("/__admin/orders/1", json=change)
    assert answer.status_code == status
    assert answer.json["field"] == field


def test_changing_an_unknown_order_is_404(client):
    assert client.patch("/__admin/orders/404", json={"status": "Open"}).status_code == 404


# --- journal -----------------------------------------------------------------------------------


def test_the_journal_records_store_requests_with_passwords_redacted(client):
    client.get(ENDPOINT, query_string=export_params(), auth=("demo", "Secret-Basic-1"))
    client.get(
        ENDPOINT,
        query_string={"action": "export", "SS-UserName": "demo", "SS-Password": "Secret-Query-2"},
    )
    client.get(
        f"{ENDPOINT}?action=export",
        headers={"SS-UserName": "demo", "SS-Password": "Secret-Header-3", "X-Admin-Token": "t"},
    )
    journal = client.get("/__admin/requests").json["requests"]
    dumped = json.dumps(journal)
    for secret in ("Secret-Basic-1", "Secret-Query-2", "Secret-Header-3", "U2VjcmV0"):
        assert secret not in dumped
    basic, query, header = journal
    assert basic["headers"]["Authorization"] == "Basic ***"
    assert basic["query"].startswith("action=export&start_date=")
    assert query["query"] == "action=export&SS-UserName=demo&SS-Password=***"
    assert header["headers"]["Ss-Password"] == "***"
    assert header["headers"]["X-Admin-Token"] == "***"
    assert [(e["username"], e["auth"], e["status"]) for e in journal] == [
        ("demo", "basic", 401),
        ("demo", "query", 401),
        ("demo", "header", 401),
    ]
    assert basic == basic | {
        "time": "2026-03-08T15:30:00Z",
        "method": "GET",
        "path": "/10001/shipstation",
        "action": "export",
        "fault": None,
    }


@pytest.mark.parametrize(
    ("raw_query", "journalled"),
    [
        ("ss-password=Secret-4&page=2", "ss-password=***&page=2"),
        ("SS%2DPassword=Secret-4&SS-UserName=demo", "SS%2DPassword=***&SS-UserName=demo"),
        ("%53S-PASSWORD=Secret-4", "%53S-PASSWORD=***"),
        (
            "SS+Password=Secret-4&SS-Passwords=Secret-4",
            "SS+Password=Secret-4&SS-Passwords=Secret-4",
        ),
        ("SS-Password&x=1", "SS-Password=***&x=1"),
        ("", ""),
    ],
)
def test_the_journal_redacts_the_password_parameter_however_its_name_is_spelled(
    client, raw_query, journalled
):
    client.get(f"{ENDPOINT}?{raw_query}" if raw_query else ENDPOINT)
    assert client.get("/__admin/requests").json["requests"][-1]["query"] == journalled


def test_the_store_endpoint_opens_no_session_and_the_dashboard_still_does(client):
    """A dashboard session cookie sent to the store endpoint changes nothing of its answer; the
    dashboard still keeps its flashed message in the session."""
    flashed = client.post("/__admin/ui/reset")
    cookie = flashed.headers["Set-Cookie"]
    assert cookie.startswith("session=") and "Path=/__admin/" in cookie
    session = cookie.split(";", 1)[0]
    store = client.get(
        ENDPOINT, query_string=export_params(), auth=AUTH, headers={"Cookie": session}
    )
    assert store.status_code == 200
    assert "Set-Cookie" not in store.headers and "Vary" not in store.headers
    page = client.get("/__admin/").get_data(as_text=True)
    assert "Reset: the default account and settings" in page


def test_the_journal_keeps_the_last_requests_and_can_be_cleared(client):
    client.put("/__admin/settings", json={"journal_size": 3})
    for page in range(1, 6):
        client.get(ENDPOINT, query_string=export_params(page=page), auth=AUTH)
    client.get("/__admin/orders")
    queries = [e["query"] for e in client.get("/__admin/requests").json["requests"]]
    assert [q.rsplit("page=", 1)[1] for q in queries] == ["3", "4", "5"]
    assert client.delete("/__admin/requests").json == {"requests": []}
    assert client.get("/__admin/requests").json["requests"] == []


# --- settings ----------------------------------------------------------------------------------


def test_settings_are_read_and_changed_in_part(client):
    assert client.get("/__admin/settings").json == DEFAULT_SETTINGS
    changed = client.put("/__admin/settings", json={"page_size": 25}).json
    assert changed == {**DEFAULT_SETTINGS, "page_size": 25}
    assert client.get("/__admin/settings").json == changed


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"page_size": 0}, "page_size"),
        ({"page_size": "10"}, "page_size"),
        ({"empty_export": "silent"}, "empty_export"),
        ({"max_body_bytes": -1}, "max_body_bytes"),
        ({"journal_size": None}, "journal_size"),
        ({"timeout": 3}, "timeout"),
    ],
)
def test_a_bad_setting_is_refused(client, change, field):
    refused(client.put("/__admin/settings", json=change), field)
    assert client.get("/__admin/settings").json == DEFAULT_SETTINGS


# --- the admin token ---------------------------------------------------------------------------


@pytest.fixture
def guarded():
    return create_app({"admin_token": "t0ken"}).test_client()


def test_with_a_token_the_control_api_needs_it(guarded):
    answer = guarded.get("/__admin/orders")
    assert answer.status_code == 401
    assert answer.json["field"] == "X-Admin-Token"
    assert guarded.post("/__admin/reset", headers={"X-Admin-Token": "wrong"}).status_code == 401
    assert guarded.get("/__admin/orders", headers={"X-Admin-Token": "t0ken"}).status_code == 200
    bearer = {"Authorization": "Bearer t0ken"}
    assert guarded.get("/__admin/settings", headers=bearer).status_code == 200


def test_with_a_token_health_and_the_store_stay_open(guarded):
    assert guarded.get("/__admin/health").json == {"status": "ok"}
    response = guarded.get(ENDPOINT, query_string=export_params(), auth=AUTH)
    assert response.status_code == 200


def test_an_unknown_control_path_is_a_json_404(client):
    answer = client.get("/__admin/nothing")
    assert answer.status_code == 404
    assert "error" in answer.json


# --- the app's config --------------------------------------------------------------------------


def test_the_config_sets_the_default_account_and_settings():
    client = create_app(
        {"publisher_id": "20002", "username": "ops", "password": "pw", "page_size": 7}
    ).test_client()
    assert client.get("/__admin/accounts").json["accounts"][0]["publisher_id"] == 20002
    assert client.get("/__admin/settings").json["page_size"] == 7
    client.put("/__admin/settings", json={"page_size": 9})
    client.post("/__admin/reset")
    assert client.get("/__admin/settings").json["page_size"] == 7
    response = client.get("/20002/shipstation", query_string=export_params(), auth=("ops", "pw"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("config", "named"),
    [
        ({"pagesize": 5}, "pagesize"),
        ({"page_size": 0}, "page_size"),
        ({"empty_export": "never"}, "empty_export"),
        ({"publisher_id": "abc"}, "publisher_id"),
        ({"clock": "noon"}, "clock"),
        ({"orders": -1}, "orders"),
    ],
)
def test_a_bad_config_is_refused_naming_the_key(config, named):
    with pytest.raises(ValueError, match=named):
        create_app(config)
