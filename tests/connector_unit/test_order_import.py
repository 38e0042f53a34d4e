"""Importing orders (B08–B25, B32, B33): the window, paging, checks, fields, store errors."""

from __future__ import annotations

import threading
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from fakes import ENDPOINT, Clock, FakeInkSoft
from feedbuilder import Plain, feed, fixture_feed, item, order

from connector import Connector, ImportSummary, Skipped, UsageError
from connector import records as records_module
from connector.database import Database

XML_ERROR = "Error updating store: An error occurred attempting to update orders: Error in XML."
PREFIX = "Error updating store: An error occurred attempting to update orders: "


def imported(connector: Connector) -> dict[str, dict]:
    return {record["order_number"]: record for record in connector.orders()}


def refresh_with(connector: Connector, inksoft: FakeInkSoft, *pages: bytes) -> ImportSummary:
    inksoft.http.reset()
    inksoft.pages(*pages)
    return connector.refresh()


# --- The canonical record (B08, B13–B25) ------------------------------------------------------


def test_b08_b13_to_b25_the_protocol_example_becomes_the_canonical_record(
    connected: Connector, inksoft: FakeInkSoft
):
    summary = refresh_with(connected, inksoft, fixture_feed("inksoft-protocol-example.xml"))
    assert summary == ImportSummary(imported=["1048231"], pages=1)
    assert summary.ok
    assert connected.orders() == [
        {
            "store": "Eagle Prints",
            "order_id": "1048231",
            "order_number": "1048231",
            "order_date": "2026-03-05T14:22:00Z",
            "last_modified": "2026-03-06T09:10:00Z",
            "status": "awaiting_shipment",
            "store_status": "Ready to Ship",
            "customer_email": "jane@example.com",
            "customer_phone": "555-123-4567",
            "requested_service": "UPS Ground",
            "payment_method": "Credit Card",
            "gift": True,
            "gift_message": "Go team!",
            "internal_notes": "Screen print run #44",
            "customer_notes": "Please ship before the tournament & thanks! Keep ]]> as is.",
            "order_total": 44.87,
            "tax_amount": 3.52,
            "shipping_amount": 8.95,
            "total_weight": {"value": 12.2, "units": "ounces"},
            "coupons": ["SPRING10", "TEAM5"],
            "discounts": [
                {"name": "Coupon SPRING10", "sku": "SPRING10", "amount": -3.6},
                {"name": "Coupon TEAM5", "sku": "TEAM5", "amount": -5.0},
            ],
            "ship_to": {
                "name": "Jane Doe",
                "company": None,
                "street1": "12 Main St",
                "street2": "Apt 4",
                "city": "Austin",
                "state": "TX",
                "postal_code": "78701",
                "country": "US",
                "phone": "555-000-1111",
            },
            "bill_to": {
                "name": "Jane Doe",
                "company": None,
                "phone": "555-123-4567",
                "email": "jane@example.com",
            },
            "items": [
                {
                    "line_item_id": "1048231-1",
                    "sku": "G500-NAVY-L",
                    "name": "Gildan 5000 Heavy Cotton Tee - Navy",
                    "quantity": 2,
                    "unit_price": 18.0,
                    "weight": {"value": 6.1, "units": "ounces"},
                    "image_url": "https://cdn.example.test/designs/eagles-front/navy.png",
                    "location": "Shelf B3",
                    "options": [
                        {"name": "Color", "value": "Navy"},
                        {"name": "Size", "value": "L"},
                        {"name": "Design", "value": "Eagles Front Logo"},
                    ],
                    "color": "Navy",
                    "size": "L",
                    "design": "Eagles Front Logo",
                }
            ],
            "shipments": [],
        }
    ]


def test_the_shipstation_example_imports_once_its_status_is_mapped(
    connected: Connector, inksoft: FakeInkSoft
):
    connected.update_settings(["status_mapping.awaiting_shipment=Open, Ready to Ship, paid"])
    refresh_with(connected, inksoft, fixture_feed("shipstation-custom-store-example.xml"))
    record = connected.order("ABC123")
    assert (record["status"], record["order_date"]) == ("awaiting_shipment", "2019-10-18T21:56:00Z")
    assert record["discounts"] == [{"name": "$10 OFF", "sku": None, "amount": -10.0}]
    assert record["items"][0]["color"] == "Green"
    assert record["items"][0]["design"] is None
    assert record["total_weight"] == {"value": 16.0, "units": "ounces"}


def test_b08_sloppy_feeds_import(connected: Connector, inksoft: FakeInkSoft):
    refresh_with(connected, inksoft, fixture_feed("twelve-hour-plain-numbers.xml"))
    refresh_with(connected, inksoft, fixture_feed("reordered-unknown-elements.xml"))
    orders = imported(connected)
    assert sorted(orders) == ["2001", "2002", "3001"]
    assert orders["3001"]["status"] == "on_hold"
    assert orders["3001"]["items"][0]["color"] == "Pepper"
    assert orders["2001"]["order_date"] == "2026-03-05T14:22:00Z"
    assert orders["2001"]["total_weight"] == {"value": 0.75, "units": "pounds"}
    assert orders["2002"]["total_weight"] is None


@pytest.mark.parametrize(
    ("bill_phone", "ship_phone", "phone"),
    [("555-123-4567", "555-000-1111", "555-123-4567"), (None, "555-000-1111", "555-000-1111")],
)
def test_b14_phone_comes_from_bill_to_else_ship_to(
    connected: Connector, inksoft: FakeInkSoft, bill_phone, ship_phone, phone
):
    changes = {"Customer/BillTo/Phone": bill_phone, "Customer/ShipTo/Phone": ship_phone}
    refresh_with(connected, inksoft, feed(order("5402", changes)))
    assert connected.order("5402")["customer_phone"] == phone


def test_p04_free_text_survives_exactly(connected: Connector, inksoft: FakeInkSoft):
    text = 'Tom & Jerry\'s <b>"special"</b> order ]]> intact.\nCafé 東京 — 🎽👕🧢\n  kept   '
    changes = {"CustomerNotes": text, "InternalNotes": text, "GiftMessage": text, "Gift": True}
    refresh_with(connected, inksoft, feed(order("5921", changes)))
    record = connected.order("5921")
    assert record["customer_notes"] == record["internal_notes"] == record["gift_message"] == text


# --- B21: total weight ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("order_weight", "items", "total"),
    [
        (
            Plain("20.5"),
            [item("A", Weight=Plain("6.1"), Quantity=2)],
            {"value": 20.5, "units": "ounces"},
        ),
        (
            None,
            [
                item("A", Weight=Plain("6.1"), Quantity=2),
                item("B", Weight=Plain("3.5"), Quantity=1),
            ],
            {"value": 15.7, "units": "ounces"},
        ),
        (
            None,
            [
                item("A", Weight=Plain("1"), WeightUnits="Pounds", Quantity=1),
                item("B", Weight=Plain("100"), WeightUnits="Grams", Quantity=2),
            ],
            {"value": 23.0548, "units": "ounces"},
        ),
        (None, [item("A", Weight=None, Location=None)], None),
    ],
)
def test_b21_total_weight_from_the_order_else_the_items(
    connected: Connector, inksoft: FakeInkSoft, order_weight, items, total
):
    connected.update_settings(["products.create_from_sku=false", "products.fill_missing=false"])
    changes = {"Weight": order_weight, "WeightUnits": "Ounces", "Items/Item": items}
    refresh_with(connected, inksoft, feed(order("5409", changes)))
    assert connected.order("5409")["total_weight"] == total


def test_b22_item_weights_keep_their_unit(connected: Connector, inksoft: FakeInkSoft):
    items = [item("A", Weight=Plain("180"), WeightUnits="grams"), item("B", WeightUnits="LBS")]
    refresh_with(connected, inksoft, feed(order("5501", {"Items/Item": items})))
    weights = [i["weight"] for i in connected.order("5501")["items"]]
    assert weights == [{"value": 180.0, "units": "grams"}, {"value": 6.1, "units": "pounds"}]


# --- B09: shipping address -------------------------------------------------------------------


def test_b09_an_order_without_a_shipping_address_is_skipped(
    connected: Connector, inksoft: FakeInkSoft
):
    no_address = {
        "Customer/ShipTo": {
            "Name": "Jane Doe",
            "Address1": "",
            "City": "",
            "PostalCode": "",
            "Country": "",
        }
    }
    summary = refresh_with(
        connected,
        inksoft,
        feed(order("5211"), order("5212", no_address), order("5213", {"Customer/ShipTo": None})),
    )
    assert summary.imported == ["5211"]
    assert summary.skipped == [
        Skipped("5212", "no_shipping_address", "Order 5212 has no shipping address: not imported."),
        Skipped("5213", "no_shipping_address", "Order 5213 has no shipping address: not imported."),
    ]
    assert summary.ok
    assert list(imported(connected)) == ["5211"]


def test_b09_an_incomplete_address_names_what_is_missing(
    connected: Connector, inksoft: FakeInkSoft
):
    summary = refresh_with(
        connected,
        inksoft,
        feed(order("5214", {"Customer/ShipTo/City": None, "Customer/ShipTo/PostalCode": " "})),
    )
    [skipped] = summary.skipped
    assert skipped.reason == "no_shipping_address"
    assert "incomplete shipping address (no City, PostalCode)" in skipped.message


def test_b09_an_imported_order_that_loses_its_address_keeps_the_stored_one(
    connected: Connector, inksoft: FakeInkSoft
):
    refresh_with(connected, inksoft, feed(order("5215")))
    summary = refresh_with(connected, inksoft, feed(order("5215", {"Customer/ShipTo": None})))
    [skipped] = summary.skipped
    assert skipped.message == (
        "Order 5215 has no shipping address: not imported; the copy imported earlier is kept."
    )
    assert connected.order("5215")["ship_to"]["city"] == "Austin"


# --- B10, B11: status mapping ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("inksoft_status", "status"),
    [
        ("Unauthorized", "awaiting_payment"),
        ("Pending Approval", "awaiting_payment"),
        ("Open", "awaiting_shipment"),
        ("Ready to Ship", "awaiting_shipment"),
        ("On Hold", "on_hold"),
        ("Shipped", "shipped"),
        ("Completed", "shipped"),
        ("Canceled", "cancelled"),
    ],
)
def test_b10_the_default_mapping(
    connected: Connector, inksoft: FakeInkSoft, inksoft_status: str, status: str
):
    refresh_with(connected, inksoft, feed(order("5301", {"OrderStatus": inksoft_status})))
    assert connected.order("5301")["status"] == status
    assert connected.order("5301")["store_status"] == inksoft_status


def test_b10_a_custom_mapping_applies(connected: Connector, inksoft: FakeInkSoft):
    connected.update_settings(["status_mapping.on_hold=On Hold, Awaiting Artwork"])
    refresh_with(connected, inksoft, feed(order("5311", {"OrderStatus": "Awaiting Artwork"})))
    assert connected.order("5311")["status"] == "on_hold"


@pytest.mark.parametrize("inksoft_status", ["ready to ship", "Ready for Pick Up"])
def test_b10_b11_unmapped_statuses_are_reported_with_the_status(
    connected: Connector, inksoft: FakeInkSoft, inksoft_status: str
):
    summary = refresh_with(
        connected, inksoft, feed(order("5321", {"OrderStatus": inksoft_status}), order("5332"))
    )
    assert summary.imported == ["5332"]
    [skipped] = summary.skipped
    assert (skipped.order_number, skipped.reason) == ("5321", "unmapped_status")
    assert f"'{inksoft_status}'" in skipped.message
    assert summary.ok


# --- B12: updates in place -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "status"),
    [
        ("Unauthorized", "Ready to Ship", "awaiting_shipment"),
        ("Ready to Ship", "Canceled", "cancelled"),
        ("Ready to Ship", "Shipped", "shipped"),
    ],
)
def test_b12_a_later_change_updates_the_order(
    connected: Connector, inksoft: FakeInkSoft, clock: Clock, before, after, status
):
    refresh_with(connected, inksoft, feed(order("5221", {"OrderStatus": before})))
    clock.advance(hours=1)
    summary = refresh_with(connected, inksoft, feed(order("5221", {"OrderStatus": after})))
    assert (summary.imported, summary.updated) == ([], ["5221"])
    [record] = connected.orders()
    assert (record["order_number"], record["status"]) == ("5221", status)


def test_b12_an_order_sent_again_as_stored_counts_as_unchanged(
    connected: Connector, inksoft: FakeInkSoft, clock: Clock
):
    refresh_with(connected, inksoft, feed(order("5231"), order("5232")))
    clock.advance(hours=1)
    edited = order("5232", {"OrderStatus": "On Hold"})
    summary = refresh_with(connected, inksoft, feed(order("5231"), edited))
    assert (summary.imported, summary.updated, summary.unchanged) == ([], ["5232"], ["5231"])


def test_b12_an_edited_order_replaces_its_fields_and_items(
    connected: Connector, inksoft: FakeInkSoft
):
    refresh_with(connected, inksoft, feed(order("5231", {"Items/Item": [item("A"), item("B")]})))
    edited = {"CustomerNotes": "Ring the bell, back office", "Items/Item": [item("C", Quantity=5)]}
    refresh_with(connected, inksoft, feed(order("5231", edited)))
    [record] = connected.orders()
    assert record["customer_notes"] == "Ring the bell, back office"
    assert [(i["sku"], i["quantity"]) for i in record["items"]] == [("C", 5)]


def test_the_same_order_twice_in_a_page_is_stored_once(connected: Connector, inksoft: FakeInkSoft):
    summary = refresh_with(
        connected, inksoft, feed(order("5241"), order("5241", {"OrderStatus": "Shipped"}))
    )
    assert summary.imported == ["5241"]
    assert [o["status"] for o in connected.orders()] == ["shipped"]


# --- Invalid orders --------------------------------------------------------------------------


def test_a_broken_order_is_skipped_and_the_page_still_imports(
    connected: Connector, inksoft: FakeInkSoft
):
    summary = refresh_with(connected, inksoft, fixture_feed("one-broken-order.xml"))
    assert summary.imported == ["4001", "4003"]
    assert summary.skipped == [
        Skipped(
            "4002",
            "invalid",
            "Order 4002 is invalid: Items/Item[1]/Quantity 'a dozen' is not a number: "
            "not imported.",
        )
    ]
    assert summary.ok


# --- Product management (B07) ----------------------------------------------------------------


def test_b07_products_are_created_and_fill_later_items(connected: Connector, inksoft: FakeInkSoft):
    refresh_with(connected, inksoft, feed(order("5101")))
    bare = item(Weight=None, WeightUnits=None, Location=None)
    refresh_with(connected, inksoft, feed(order("5102", {"Items/Item": [bare]})))
    assert connected.products() == [
        {
            "sku": "G500-NAVY-L",
            "name": "Gildan 5000 Heavy Cotton Tee",
            "weight": 6.1,
            "weight_units": "ounces",
            "location": "Shelf B3",
        }
    ]
    [filled] = connected.order("5102")["items"]
    assert (filled["weight"], filled["location"]) == ({"value": 6.1, "units": "ounces"}, "Shelf B3")
    assert connected.order("5102")["total_weight"] == {"value": 12.2, "units": "ounces"}


def test_b07_a_product_learns_what_it_lacked(connected: Connector, inksoft: FakeInkSoft):
    bare = item(Weight=None, Location=None)
    refresh_with(connected, inksoft, feed(order("5104", {"Items/Item": [bare]})))
    assert connected.products()[0]["weight"] is None
    refresh_with(connected, inksoft, feed(order("5105")))
    assert (connected.products()[0]["weight"], connected.products()[0]["location"]) == (
        6.1,
        "Shelf B3",
    )


def test_b07_with_product_management_off_nothing_is_created_or_filled(
    connected: Connector, inksoft: FakeInkSoft
):
    refresh_with(connected, inksoft, feed(order("5100")))
    connected.update_settings(["products.create_from_sku=false", "products.fill_missing=false"])
    bare = item(Weight=None, Location=None)
    refresh_with(connected, inksoft, feed(order("5103", {"Items/Item": [bare, item("NEW-SKU")]})))
    [tee, _] = connected.order("5103")["items"]
    assert (tee["weight"], tee["location"]) == (None, None)
    assert [p["sku"] for p in connected.products()] == ["G500-NAVY-L"]


def test_b07_fill_without_create_uses_the_existing_catalogue(
    connected: Connector, inksoft: FakeInkSoft
):
    refresh_with(connected, inksoft, feed(order("5100")))
    connected.update_settings(["products.create_from_sku=false"])
    bare = item(Weight=None, Location=None)
    refresh_with(connected, inksoft, feed(order("5106", {"Items/Item": [bare]})))
    assert connected.order("5106")["items"][0]["location"] == "Shelf B3"


# --- The window and paging -------------------------------------------------------------------


def test_the_first_refresh_looks_back_initial_days_then_from_the_last_one(
    connected: Connector, inksoft: FakeInkSoft, clock: Clock
):
    refresh_with(connected, inksoft, feed(order("1")))
    assert inksoft.queries[0]["start_date"] == "02/08/2026 12:00"
    assert inksoft.queries[0]["end_date"] == "03/10/2026 12:00"
    assert connected.status()["last_refresh"] == "2026-03-10T12:00:00Z"
    clock.advance(hours=2, seconds=42)
    refresh_with(connected, inksoft, feed(order("1")))
    assert inksoft.queries[0]["start_date"] == "03/10/2026 11:50"
    assert inksoft.queries[0]["end_date"] == "03/10/2026 14:01"
    assert connected.status()["last_refresh"] == "2026-03-10T14:00:42Z"
    clock.advance(minutes=30)
    refresh_with(connected, inksoft, feed(order("1")))
    assert inksoft.queries[0]["start_date"] == "03/10/2026 13:50"


def test_the_look_back_and_margin_are_settings(
    connected: Connector, inksoft: FakeInkSoft, clock: Clock
):
    connected.update_settings(["import.initial_days=3", "import.safety_margin_minutes=0"])
    refresh_with(connected, inksoft, feed(order("1")))
    assert inksoft.queries[0]["start_date"] == "03/07/2026 12:00"
    clock.advance(minutes=5)
    refresh_with(connected, inksoft, feed(order("1")))
    assert inksoft.queries[0]["start_date"] == "03/10/2026 12:00"


def test_p03_every_page_is_read_once(connected: Connector, inksoft: FakeInkSoft):
    pages = [feed(*(order(f"{p}{n:02d}") for n in range(3)), pages=3) for p in (7, 8, 9)]
    summary = refresh_with(connected, inksoft, *pages)
    assert inksoft.pages_asked() == [1, 2, 3]
    assert summary.pages == 3
    assert len(summary.imported) == 9 == len(connected.orders())


def test_the_next_page_is_fetched_while_one_is_stored(
    connected: Connector, http: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
):
    pages = {1: feed(order("7001"), pages=2), 2: feed(order("7002"), pages=2)}
    page_two_asked = threading.Event()

    def answer(request):
        page = int(parse_qs(urlsplit(request.url).query)["page"][0])
        if page == 2:
            page_two_asked.set()
        return 200, {"Content-Type": "text/xml; charset=utf-8"}, pages[page]

    http.reset()
    http.add_callback(responses.GET, ENDPOINT, callback=answer)
    save_page = Database.save_page
    asked_during_first_save: list[bool] = []

    def watched_save_page(db, store_id, orders, products, now):
        if not asked_during_first_save:
            asked_during_first_save.append(page_two_asked.wait(timeout=10))
        return save_page(db, store_id, orders, products, now)

    monkeypatch.setattr(Database, "save_page", watched_save_page)
    summary = connected.refresh()
    assert asked_during_first_save == [True]
    assert summary.imported == ["7001", "7002"] and summary.pages == 2


def test_paging_stops_at_a_page_without_orders(connected: Connector, inksoft: FakeInkSoft):
    summary = refresh_with(connected, inksoft, feed(order("1"), pages=5), feed(pages=5))
    assert inksoft.pages_asked() == [1, 2]
    assert summary.ok and summary.pages == 2


def test_a_page_without_a_pages_attribute_is_the_only_page(
    connected: Connector, inksoft: FakeInkSoft
):
    summary = refresh_with(connected, inksoft, feed(order("1"), pages=None))
    assert inksoft.pages_asked() == [1]
    assert summary.imported == ["1"]


@pytest.mark.parametrize("body", [fixture_feed("empty-without-pages.xml"), b'<Orders pages="0"/>'])
def test_a_valid_empty_feed_is_a_good_refresh(connected: Connector, inksoft: FakeInkSoft, body):
    summary = refresh_with(connected, inksoft, body)
    assert summary == ImportSummary(pages=1)
    assert summary.ok
    assert connected.status()["last_refresh"] == "2026-03-10T12:00:00Z"


# --- B32, B33: the store error ---------------------------------------------------------------


def test_b32_an_empty_answer_is_the_error_in_xml_store_error(
    connected: Connector, inksoft: FakeInkSoft
):
    summary = refresh_with(connected, inksoft, b"")
    assert not summary.ok
    assert summary.error == XML_ERROR
    status = connected.status()
    assert status["error"] == XML_ERROR
    assert status["last_refresh"] is None
    assert status["last_refresh_attempt"] == "2026-03-10T12:00:00Z"


def test_b32_the_error_loses_nothing_and_keeps_the_window(
    connected: Connector, inksoft: FakeInkSoft, clock: Clock
):
    refresh_with(connected, inksoft, feed(order("5801"), order("5802")))
    clock.advance(days=1)
    assert refresh_with(connected, inksoft, b"").error == XML_ERROR
    assert sorted(imported(connected)) == ["5801", "5802"]
    assert connected.status()["last_refresh"] == "2026-03-10T12:00:00Z"
    clock.advance(hours=1)
    refresh_with(connected, inksoft, b"")
    assert inksoft.queries[0]["start_date"] == "03/10/2026 11:50"


def test_b33_the_error_clears_at_the_next_good_refresh(
    connected: Connector, inksoft: FakeInkSoft, clock: Clock
):
    refresh_with(connected, inksoft, b"")
    clock.advance(minutes=15)
    summary = refresh_with(connected, inksoft, feed(order("5811")))
    assert summary.ok and summary.imported == ["5811"]
    assert connected.status()["error"] is None
    assert connected.status()["last_refresh"] == "2026-03-10T12:15:00Z"


@pytest.mark.parametrize(
    ("failure", "cause"),
    [
        ({"status": 503}, "InkSoft failed with HTTP 503"),
        ({"body": requests.ReadTimeout("slow")}, "timed out (the read timeout)"),
        ({"body": requests.ConnectionError(ConnectionResetError(104, "x"))}, "was reset"),
        (
            {"status": 401, "body": "<Error><Code>InvalidCredentials</Code></Error>"},
            "did not accept the username or password",
        ),
    ],
)
def test_a_failure_part_way_keeps_the_committed_pages(
    connected: Connector, inksoft: FakeInkSoft, http: responses.RequestsMock, failure, cause
):
    http.reset()
    http.get(ENDPOINT, body=feed(order("6001"), order("6002"), pages=2))
    http.get(ENDPOINT, **failure)
    summary = connected.refresh()
    assert summary.error.startswith(PREFIX)
    assert cause in summary.error
    assert summary.imported == ["6001", "6002"]
    assert sorted(imported(connected)) == ["6001", "6002"]
    assert connected.status()["error"] == summary.error
    assert connected.status()["last_refresh"] is None


def test_a_malformed_later_page_is_a_store_error(connected: Connector, inksoft: FakeInkSoft):
    summary = refresh_with(connected, inksoft, feed(order("6101"), pages=2), b"<Orders><Order>")
    assert summary.error == XML_ERROR
    assert summary.pages == 1
    assert list(imported(connected)) == ["6101"]


def test_a_doctype_is_a_store_error(connected: Connector, inksoft: FakeInkSoft):
    summary = refresh_with(connected, inksoft, fixture_feed("doctype-entity.xml"))
    assert summary.error == (XML_ERROR + " The export declares a DOCTYPE, which is never accepted.")


def test_a_page_is_one_transaction(
    connected: Connector, inksoft: FakeInkSoft, monkeypatch: pytest.MonkeyPatch
):
    def broken(product):
        raise RuntimeError("disk full")

    monkeypatch.setattr("connector.database.product_params", broken)
    with pytest.raises(RuntimeError):
        refresh_with(connected, inksoft, feed(order("6201"), order("6202")))
    assert connected.orders() == []
    monkeypatch.setattr("connector.database.product_params", records_module.product_params)
    assert refresh_with(connected, inksoft, feed(order("6201"))).imported == ["6201"]


# --- Reading orders --------------------------------------------------------------------------


def test_orders_filter_by_status(connected: Connector, inksoft: FakeInkSoft):
    refresh_with(
        connected, inksoft, feed(order("1", {"OrderStatus": "On Hold"}), order("2"), order("3"))
    )
    assert [o["order_number"] for o in connected.orders(status="on_hold")] == ["1"]
    assert [o["order_number"] for o in connected.orders(status="awaiting_shipment")] == ["2", "3"]
    assert connected.status()["counts"] == {
        "awaiting_payment": 0,
        "awaiting_shipment": 2,
        "on_hold": 1,
        "shipped": 0,
        "cancelled": 0,
    }
    with pytest.raises(UsageError, match="Unknown status 'lost'"):
        connected.orders(status="lost")


def test_an_unknown_order_number_is_a_usage_error(connected: Connector):
    with pytest.raises(UsageError, match="has no order 404"):
        connected.order("404")


def test_summaries_serialise(connected: Connector, inksoft: FakeInkSoft):
    summary = refresh_with(
        connected, inksoft, feed(order("1"), order("2", {"Customer/ShipTo": None}))
    )
    assert summary.as_dict() == {
        "imported": ["1"],
        "updated": [],
        "unchanged": [],
        "skipped": [
            {
                "order_number": "2",
                "reason": "no_shipping_address",
                "message": "Order 2 has no shipping address: not imported.",
            }
        ],
        "pages": 1,
        "error": None,
        "ok": True,
    }
