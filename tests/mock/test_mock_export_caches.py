"""The export's caches never serve stale content: each order's rendered fragment is reused
only while the order is unchanged, and the sorted index of an account's orders only while none
of them changes."""

from __future__ import annotations

from mock_support import AUTH, ENDPOINT, export_params, order_numbers

from safexml import parse_xml

FIXED_MODIFIED = "2026-03-01T10:00:00Z"


def notes_exported(client) -> list[str]:
    answer = client.get(ENDPOINT, query_string=export_params(), auth=AUTH)
    return [n.text for n in parse_xml(answer.data).iter("CustomerNotes")]


def add(client, notes: str, order_id: int = 501, last_modified: str = FIXED_MODIFIED) -> None:
    order = {
        "order_id": order_id,
        "order_number": str(order_id),
        "customer_notes": notes,
        "status": "Ready to Ship",
        "last_modified": last_modified,
    }
    assert client.post("/__admin/orders", json=order).status_code == 201


def exported_numbers(client, **params: object) -> list[str]:
    answer = client.get(ENDPOINT, query_string=export_params(**params), auth=AUTH)
    return order_numbers(answer.data)


def ship(client, order_id: str) -> None:
    notice = (
        f"<ShipNotice><OrderID>{order_id}</OrderID><Carrier>UPS</Carrier>"
        "<TrackingNumber>1Z999AA10123456784</TrackingNumber></ShipNotice>"
    ).encode()
    answer = client.post(
        ENDPOINT,
        query_string={
            "action": "shipnotify",
            "order_number": order_id,
            "carrier": "UPS",
            "tracking_number": "1Z999AA10123456784",
        },
        data=notice,
        auth=AUTH,
        content_type="application/xml",
    )
    assert answer.status_code == 200


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
    ship(client, "501")
    after = client.get(ENDPOINT, query_string=export_params(), auth=AUTH).data
    assert parse_xml(before).findtext("Order/OrderStatus") == "Ready to Ship"
    assert parse_xml(after).findtext("Order/OrderStatus") == "Shipped"


def test_an_order_added_after_an_export_takes_its_place_in_the_next(client):
    add(client, "early", 601, "2026-03-01T10:00:00Z")
    add(client, "late", 603, "2026-03-01T12:00:00Z")
    assert exported_numbers(client) == ["601", "603"]
    add(client, "between", 602, "2026-03-01T11:00:00Z")
    assert exported_numbers(client) == ["601", "602", "603"]
    assert exported_numbers(client, end_date="03/01/2026 11:30") == ["601", "602"]


def test_a_shipped_order_moves_to_the_end_of_the_next_export(client):
    add(client, "first", 601, "2026-03-01T10:00:00Z")
    add(client, "second", 602, "2026-03-01T11:00:00Z")
    assert exported_numbers(client) == ["601", "602"]
    ship(client, "601")  # last modified now, the mock clock's 2026-03-08 15:30
    assert exported_numbers(client) == ["602", "601"]
    assert exported_numbers(client, start_date="03/08/2026 15:30") == ["601"]


def test_an_order_moved_to_another_account_leaves_the_first_accounts_export(client):
    users = [{"username": "other", "password": "pw", "permissions": []}]
    assert client.post("/__admin/accounts", json={"publisher_id": 20002, "users": users})
    add(client, "moving", 601)
    add(client, "staying", 602)
    assert exported_numbers(client) == ["601", "602"]
    moved = client.patch("/__admin/orders/601", json={"publisher_id": 20002})
    assert moved.status_code == 200
    assert exported_numbers(client) == ["602"]


def test_a_smaller_page_size_pages_the_same_index_anew(client):
    for n in range(5):
        add(client, f"order {n}", 601 + n, f"2026-03-01T1{n}:00:00Z")
    assert exported_numbers(client) == ["601", "602", "603", "604", "605"]
    assert client.put("/__admin/settings", json={"page_size": 2}).status_code == 200
    assert exported_numbers(client, page=3) == ["605"]
    answer = client.get(ENDPOINT, query_string=export_params(page=2), auth=AUTH)
    assert parse_xml(answer.data).get("pages") == "3"
    assert order_numbers(answer.data) == ["603", "604"]
