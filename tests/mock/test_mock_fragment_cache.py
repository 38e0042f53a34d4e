"""Each order's rendered fragment is reused only while the order is unchanged."""

from __future__ import annotations

from mock_support import AUTH, ENDPOINT, export_params

from safexml import parse_xml

FIXED_MODIFIED = "2026-03-01T10:00:00Z"


def notes_exported(client) -> list[str]:
    answer = client.get(ENDPOINT, query_string=export_params(), auth=AUTH)
    return [n.text for n in parse_xml(answer.data).iter("CustomerNotes")]


def add(client, notes: str) -> None:
    order = {
        "order_id": 501,
        "order_number": "501",
        "customer_notes": notes,
        "status": "Ready to Ship",
        "last_modified": FIXED_MODIFIED,
    }
    assert client.post("/__admin/orders", json=order).status_code == 201


def test_a_change_that_keeps_last_modified_is_still_rendered_anew(client):
    add(client, "first")
    assert notes_exported(client) == ["first"]
    changed = {"customer_notes": "second", "last_modified": FIXED_MODIFIED}
    assert client.patch("/__admin/orders/501", json=changed).status_code == 200
    assert notes_exported(client) == ["second"]


def test_a_reset_never_serves_an_old_fragment_for_a_reused_order_id(client):
    add(client, "before the reset")
    assert notes_exported(client) == ["before the reset"]
    assert client.post("/__admin/reset").status_code == 200
    add(client, "after the reset")
    assert notes_exported(client) == ["after the reset"]


def test_a_shipment_notice_is_seen_in_the_next_export(client):
    add(client, "ship me")
    before = client.get(ENDPOINT, query_string=export_params(), auth=AUTH).data
    notice = (
        b"<ShipNotice><OrderID>501</OrderID><Carrier>UPS</Carrier>"
        b"<TrackingNumber>1Z999AA10123456784</TrackingNumber></ShipNotice>"
    )
    answer = client.post(
        ENDPOINT,
        query_string={
            "action": "shipnotify",
            "order_number": "501",
            "carrier": "UPS",
            "tracking_number": "1Z999AA10123456784",
        },
        data=notice,
        auth=AUTH,
        content_type="application/xml",
    )
    assert answer.status_code == 200
    after = client.get(ENDPOINT, query_string=export_params(), auth=AUTH).data
    assert parse_xml(before).findtext("Order/OrderStatus") == "Ready to Ship"
    assert parse_xml(after).findtext("Order/OrderStatus") == "Shipped"
