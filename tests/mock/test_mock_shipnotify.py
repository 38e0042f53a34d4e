"""``action=shipnotify``: lookup, idempotence, partial shipments, validation, hostile bodies."""

from __future__ import annotations

import io
import time

import pytest
from mock_support import AUTH, ENDPOINT, Clock, error_code, notify_params, ship_notice

from mock_inksoft import create_app

TWO_LINES = [
    {"line_item_id": "5931-1", "sku": "G500-NAVY-L", "name": "Gildan 5000 Tee", "quantity": 2},
    {"line_item_id": "5931-2", "sku": "R112-CAP-KHK", "name": "Richardson 112", "quantity": 1},
    {"sku": "SPRING10", "name": "Coupon SPRING10", "unit_price": -3.6, "adjustment": True},
]


@pytest.fixture
def order(client) -> dict:
    """Order 5931, Ready to Ship, two product lines and a coupon, modified a week ago."""
    answer = client.post(
        "/__admin/orders",
        json={
            "order_id": "5931",
            "status": "Ready to Ship",
            "last_modified": "2026-03-01T08:00:00Z",
            "items": TWO_LINES,
        },
    )
    assert answer.status_code == 201
    return answer.json["orders"][0]


def notify(client, body: bytes, **params: str):
    query = notify_params(params.pop("order_number", "5931"), **params)
    return client.post(ENDPOINT, query_string=query, data=body, auth=AUTH)


def stored(client, order_id: str = "5931") -> dict:
    return client.get(f"/__admin/orders/{order_id}").json


def shipments(client) -> list[dict]:
    return client.get("/__admin/shipments").json["shipments"]


def test_a_notice_ships_the_order_and_answers_200_empty(client, order):
    response = notify(client, ship_notice("5931"))
    assert response.status_code == 200
    assert response.data == b""
    changed = stored(client)
    assert changed["status"] == "Shipped"
    assert changed["last_modified"] == "2026-03-08T15:30:00Z"
    [shipment] = shipments(client)
    assert shipment == {
        "publisher_id": 10001,
        "order_id": "5931",
        "order_number": "5931",
        "carrier": "UPS",
        "service": "UPS Ground",
        "tracking_number": "1Z999AA10123456784",
        "shipping_cost": 9.42,
        "notes_to_customer": "Thanks & enjoy!",
        "notify_customer": False,
        "customer_code": "jane@example.com",
        "label_create_date": "2026-03-07T16:05:00Z",
        "ship_date": "2026-03-07",
        "recipient": None,
        "items": None,
        "received_at": "2026-03-08T15:30:00Z",
        "raw": ship_notice("5931").decode(),
    }


def test_the_shipped_order_comes_back_in_the_next_export(client, order):
    notify(client, ship_notice("5931"))
    window = {"action": "export", "start_date": "03/08/2026 15:30", "end_date": "03/08/2026 15:30"}
    response = client.get(ENDPOINT, query_string=window, auth=AUTH)
    assert b"<OrderStatus><![CDATA[Shipped]]></OrderStatus>" in response.data


# --- finding the order -------------------------------------------------------------------------


def test_the_body_order_id_wins_over_the_order_number_parameter(client, order):
    client.post("/__admin/orders", json={"order_id": "6000"})
    assert notify(client, ship_notice("5931"), order_number="6000").status_code == 200
    assert stored(client)["status"] == "Shipped"
    assert stored(client, "6000")["status"] != "Shipped"


def test_without_order_id_the_order_number_parameter_finds_the_order(client, order):
    client.post("/__admin/orders", json={"order_id": "6000", "order_number": "A-6000"})
    body = ship_notice(None, extra="<OrderNumber>5931</OrderNumber>")
    assert notify(client, body, order_number="A-6000").status_code == 200
    assert stored(client, "6000")["status"] == "Shipped"
    assert stored(client)["status"] == "Ready to Ship"


def test_without_order_id_nor_parameter_the_body_order_number_is_used(client, order):
    body = ship_notice(None, extra="<OrderNumber>5931</OrderNumber>")
    response = client.post(ENDPOINT, query_string={"action": "shipnotify"}, data=body, auth=AUTH)
    assert response.status_code == 200
    assert shipments(client)[0]["carrier"] == "UPS"


def test_an_unknown_order_id_is_404_even_with_a_known_order_number(client, order):
    response = notify(client, ship_notice("7777"), order_number="5931")
    assert response.status_code == 404
    assert stored(client)["status"] == "Ready to Ship"


def test_another_accounts_order_is_unknown(client, order):
    users = [
        {"username": "ops", "password": "pw", "permissions": ["Store Fulfillment Administration"]}
    ]
    client.post("/__admin/accounts", json={"publisher_id": 20002, "users": users})
    response = client.post(
        "/20002/shipstation",
        query_string=notify_params("5931"),
        data=ship_notice("5931"),
        auth=("ops", "pw"),
    )
    assert error_code(response.data) == "UnknownOrder"


# --- idempotence and packages ------------------------------------------------------------------


def test_a_retried_notice_is_answered_200_and_applied_once(client, order):
    assert notify(client, ship_notice("5931")).status_code == 200
    assert notify(client, ship_notice("5931")).status_code == 200
    assert len(shipments(client)) == 1
    journal = client.get("/__admin/requests").json["requests"]
    assert [(r["action"], r["status"]) for r in journal] == [("shipnotify", 200)] * 2


def test_a_retry_does_not_move_the_last_modified_time_again():
    clock = Clock()
    client = create_app({"clock": clock}).test_client()
    client.post("/__admin/orders", json={"order_id": "5931"})
    notify(client, ship_notice("5931"))
    clock.advance(hours=1)
    notify(client, ship_notice("5931"))
    assert stored(client)["last_modified"] == "2026-03-08T15:30:00Z"


@pytest.mark.parametrize(
    ("carrier", "tracking"),
    [("UPS", "1Z12345E0205271688"), ("FedEx", "1Z999AA10123456784")],
    ids=["new-tracking-number", "same-number-other-carrier"],
)
def test_another_package_is_another_shipment(client, order, carrier, tracking):
    notify(client, ship_notice("5931"))
    notify(
        client,
        ship_notice("5931", carrier=carrier, tracking=tracking),
        carrier=carrier,
        tracking_number=tracking,
    )
    assert [(s["carrier"], s["tracking_number"]) for s in shipments(client)] == [
        ("UPS", "1Z999AA10123456784"),
        (carrier, tracking),
    ]


# --- partial shipments -------------------------------------------------------------------------


def test_listed_items_ship_alone_and_the_last_one_ships_the_order(client, order):
    assert notify(client, ship_notice("5931", lines=["5931-1"])).status_code == 200
    after_first = stored(client)
    assert after_first["status"] == "Ready to Ship"
    assert after_first["last_modified"] == "2026-03-08T15:30:00Z"
    notify(
        client,
        ship_notice("5931", carrier="USPS", tracking="9400111899223197428490", lines=["5931-2"]),
        carrier="USPS",
        tracking_number="9400111899223197428490",
    )
    assert stored(client)["status"] == "Shipped"
    assert [s["items"] for s in shipments(client)] == [
        [{"line_item_id": "5931-1", "sku": None, "name": None, "quantity": None}],
        [{"line_item_id": "5931-2", "sku": None, "name": None, "quantity": None}],
    ]


def test_items_may_be_named_by_sku(client, order):
    items = "<Items><Item><SKU>G500-NAVY-L</SKU><Quantity>2</Quantity></Item>"
    items += "<Item><SKU>R112-CAP-KHK</SKU></Item></Items>"
    assert notify(client, ship_notice("5931", extra=items)).status_code == 200
    assert stored(client)["status"] == "Shipped"


def test_an_empty_items_list_ships_the_whole_order(client, order):
    assert notify(client, ship_notice("5931", extra="<Items/>")).status_code == 200
    assert stored(client)["status"] == "Shipped"
    assert shipments(client)[0]["items"] is None


def test_a_line_the_order_lacks_is_refused_and_changes_nothing(client, order):
    response = notify(client, ship_notice("5931", lines=["5931-1", "5931-9"]))
    assert response.status_code == 400
    assert error_code(response.data) == "InvalidRequest"
    assert b"5931-9" in response.data
    assert stored(client)["last_modified"] == "2026-03-01T08:00:00Z"
    assert shipments(client) == []
    assert notify(client, ship_notice("5931", lines=["5931-2"])).status_code == 200
    assert stored(client)["status"] == "Ready to Ship"


# --- validation --------------------------------------------------------------------------------


def with_items(items: str) -> bytes:
    return ship_notice("5931", extra=f"<Items>{items}</Items>")


@pytest.mark.parametrize(
    ("body", "params", "named"),
    [
        (ship_notice("5931", carrier=None), {"carrier": ""}, "Carrier"),
        (ship_notice("5931", tracking=None), {"tracking_number": ""}, "TrackingNumber"),
        (ship_notice(None), {"order_number": ""}, "order"),
        (ship_notice("5931").replace(b"9.42", b"nine"), {}, "ShippingCost"),
        (ship_notice("5931").replace(b"9.42", b"NaN"), {}, "ShippingCost"),
        (ship_notice("5931").replace(b">false<", b">maybe<"), {}, "NotifyCustomer"),
        (ship_notice("5931").replace(b">03/07/2026<", b">2026-03-07<"), {}, "ShipDate"),
        (ship_notice("5931").replace(b"03/07/2026 16:05", b"soon"), {}, "LabelCreateDate"),
        (with_items("<Item><Quantity>1</Quantity></Item>"), {}, "Item 1"),
        (with_items("<Item><SKU>G500-NAVY-L</SKU><Quantity>two</Quantity></Item>"), {}, "Quantity"),
        (with_items("<Item><SKU>G500-NAVY-L</SKU><Quantity>0</Quantity></Item>"), {}, "Quantity"),
        (b"<Shipment><OrderID>5931</OrderID></Shipment>", {}, "ShipNotice"),
    ],
)
def test_a_notice_that_does_not_say_what_it_must_is_refused_naming_the_problem(
    client, order, body, params, named
):
    response = notify(client, body, **params)
    assert response.status_code == 400
    assert error_code(response.data) == "InvalidRequest"
    assert named.encode() in response.data
    assert shipments(client) == []


def test_the_query_supplies_carrier_and_tracking_number_when_the_body_has_none(client, order):
    body = ship_notice("5931", carrier=None, tracking=None)
    assert notify(client, body, carrier="DHL", tracking_number="JD0146000003").status_code == 200
    [shipment] = shipments(client)
    assert (shipment["carrier"], shipment["tracking_number"]) == ("DHL", "JD0146000003")


def test_an_empty_service_is_accepted(client, order):
    body = ship_notice("5931").replace(b"<Service>UPS Ground</Service>", b"<Service></Service>")
    assert notify(client, body, service="").status_code == 200
    assert shipments(client)[0]["service"] == ""


def test_the_recipient_is_kept(client, order):
    recipient = (
        "<Recipient><Name>Jane Doe</Name><Address1>12 Main St</Address1><City>Austin</City>"
        "<State>TX</State><PostalCode>78701</PostalCode><Country>US</Country></Recipient>"
    )
    notify(client, ship_notice("5931", extra=recipient))
    assert shipments(client)[0]["recipient"] == {
        "name": "Jane Doe",
        "company": None,
        "address1": "12 Main St",
        "address2": None,
        "city": "Austin",
        "state": "TX",
        "postal_code": "78701",
        "country": "US",
        "phone": None,
    }


# --- hostile bodies ----------------------------------------------------------------------------

XXE = (
    b'<?xml version="1.0"?><!DOCTYPE ShipNotice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b"<ShipNotice><OrderID>5931</OrderID><Carrier>&xxe;</Carrier>"
    b"<TrackingNumber>1Z</TrackingNumber></ShipNotice>"
)
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'.encode()
        for n in range(1, 10)
    )
    + b"]><ShipNotice><OrderID>5931</OrderID><Carrier>&lol9;</Carrier></ShipNotice>"
)
EXTERNAL_DTD = (
    b'<?xml version="1.0"?><!DOCTYPE ShipNotice SYSTEM "http://127.0.0.1:9/evil.dtd">'
    b"<ShipNotice><OrderID>5931</OrderID></ShipNotice>"
)
INVALID_UTF8 = ship_notice("5931").replace(b"Thanks", b"Thanks \xff\xfe")


@pytest.mark.parametrize(
    "body",
    [XXE, BILLION_LAUGHS, EXTERNAL_DTD, INVALID_UTF8],
    ids=["xxe", "billion-laughs", "external-dtd", "invalid-utf8"],
)
def test_a_hostile_body_is_refused_quickly_and_changes_nothing(client, order, body):
    started = time.perf_counter()
    response = notify(client, body)
    assert time.perf_counter() - started < 10  # an expansion takes far longer; a busy machine not
    assert response.status_code == 400
    assert error_code(response.data) == "MalformedXml"
    assert b"root:" not in response.data
    assert shipments(client) == []
    assert stored(client)["status"] == "Ready to Ship"


def test_a_body_larger_than_announced_is_cut_at_the_limit(client, order):
    client.put("/__admin/settings", json={"max_body_bytes": 64})
    environ = {"wsgi.input_terminated": True}  # a body without Content-Length (chunked)
    response = client.post(
        ENDPOINT,
        query_string=notify_params("5931"),
        input_stream=io.BytesIO(ship_notice("5931")),
        environ_base=environ,
        auth=AUTH,
    )
    assert response.status_code == 413
    assert error_code(response.data) == "PayloadTooLarge"
