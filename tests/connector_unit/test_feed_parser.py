"""The export parser: real feed shapes, lenient reading, one bad order never spoils a page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from feedbuilder import Plain, feed, fixture_feed, item, order

from connector.exceptions import FeedError
from connector.feed import FeedOrder, InvalidOrder, parse_page
from connector.weights import Weight


def only_order(body: bytes) -> FeedOrder:
    [parsed] = parse_page(body).orders
    assert isinstance(parsed, FeedOrder), parsed
    return parsed


def test_the_shipstation_custom_store_example_parses():
    page = parse_page(fixture_feed("shipstation-custom-store-example.xml"))
    assert page.pages == 1
    [parsed] = page.orders
    assert isinstance(parsed, FeedOrder)
    assert (parsed.order_id, parsed.order_number, parsed.store_status) == (
        "123456",
        "ABC123",
        "paid",
    )
    assert parsed.order_date.isoformat() == "2019-10-18T21:56:00+00:00"
    assert parsed.last_modified.isoformat() == "2019-10-18T21:56:00+00:00"
    assert parsed.customer_email == "customer@mystore.com"
    assert parsed.customer_phone == "512-555-5555"
    assert (parsed.order_total, parsed.shipping_amount) == (Decimal("123.45"), Decimal("4.50"))
    assert parsed.gift is False and parsed.gift_message is None
    assert parsed.ship_to.street1 == "1600 Pennsylvania Ave"
    assert parsed.ship_to.street2 is None
    [product] = parsed.items
    assert (product.sku, product.quantity, product.unit_price) == ("FD88821", 2, Decimal("13.99"))
    assert product.weight == Weight(Decimal(8), "ounces")
    assert (product.option("Color"), product.option("Size")) == ("Green", "Large")
    [discount] = parsed.discounts
    assert (discount.name, discount.sku, discount.amount) == ("$10 OFF", None, Decimal("-10.00"))


def test_the_protocol_example_keeps_every_documented_field():
    parsed = only_order(fixture_feed("inksoft-protocol-example.xml"))
    assert parsed.customer_notes == "Please ship before the tournament & thanks! Keep ]]> as is."
    assert parsed.coupons == ["SPRING10", "TEAM5"]
    assert [(d.sku, d.amount) for d in parsed.discounts] == [
        ("SPRING10", Decimal("-3.60")),
        ("TEAM5", Decimal("-5.00")),
    ]
    assert [i.sku for i in parsed.items] == ["G500-NAVY-L"]
    assert parsed.total_weight == Weight(Decimal("12.2"), "ounces")
    assert parsed.gift is True and parsed.gift_message == "Go team!"


def test_twelve_hour_dates_and_numbers_without_cdata():
    first, second = parse_page(fixture_feed("twelve-hour-plain-numbers.xml")).orders
    assert first.order_date.isoformat() == "2026-03-05T14:22:00+00:00"
    assert first.last_modified.isoformat() == "2026-03-06T09:10:45+00:00"
    assert first.order_total == Decimal("21.50")
    assert first.tax_amount == Decimal("0.00")
    assert first.items[0].weight == Weight(Decimal("0.25"), "pounds")
    assert second.order_date.isoformat() == "2025-12-31T00:05:00+00:00"
    assert second.last_modified.isoformat() == "2026-01-01T12:00:00+00:00"
    assert second.ship_to.city == "Montréal"


def test_elements_in_any_order_and_unknown_elements_are_fine():
    parsed = only_order(fixture_feed("reordered-unknown-elements.xml"))
    assert (parsed.order_number, parsed.store_status) == ("3001", "On Hold")
    [tee] = parsed.items
    assert (tee.option("Color", "Colour"), tee.option("Size"), tee.option("Design")) == (
        "Pepper",
        "XL",
        "Robot Club",
    )
    assert [(o.name, o.value) for o in tee.options][-1] == ("Placement", "Left chest")
    assert tee.weight == Weight(Decimal(180), "grams")


def test_comments_and_processing_instructions_are_ignored_everywhere():
    clean = parse_page(fixture_feed("reordered-unknown-elements.xml"))
    noisy = fixture_feed("reordered-unknown-elements.xml")
    for tag in (b"</Order>", b"<Customer>", b"<Items>", b"<Item>", b"<Options>", b"<Option>"):
        noisy = noisy.replace(tag, tag + b"<!-- note --><?shop x?>")
    noisy = noisy.replace(b"<Order>", b"<?shop x?><Order><!-- note -->")
    assert noisy.count(b"<!-- note -->") >= 7
    assert parse_page(noisy) == clean


def test_orders_without_pages_is_a_valid_empty_feed():
    page = parse_page(fixture_feed("empty-without-pages.xml"))
    assert (page.pages, page.orders) == (None, [])


@pytest.mark.parametrize("body", [b"", b"   \n", b"<html><body>Oops</body>", b"Error", b"<Orders>"])
def test_an_empty_or_non_xml_body_is_error_in_xml(body: bytes):
    with pytest.raises(FeedError) as raised:
        parse_page(body)
    assert str(raised.value) == "Error in XML."


def test_a_doctype_is_refused():
    with pytest.raises(FeedError, match="DOCTYPE"):
        parse_page(fixture_feed("doctype-entity.xml"))


def test_another_root_element_is_refused_by_name():
    with pytest.raises(FeedError, match="<Error>"):
        parse_page(b"<Error><Code>X</Code></Error>")


def test_one_broken_order_leaves_the_rest_of_the_page():
    good, broken, other = parse_page(fixture_feed("one-broken-order.xml")).orders
    assert isinstance(good, FeedOrder) and isinstance(other, FeedOrder)
    assert broken == InvalidOrder("4002", "Items/Item[1]/Quantity 'a dozen' is not a number")


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"OrderDate": None}, "OrderDate is missing"),
        ({"OrderDate": Plain("31/12/2026 10:00")}, "OrderDate: '31/12/2026 10:00' is not a date"),
        ({"OrderStatus": "  "}, "OrderStatus is missing"),
        ({"OrderTotal": Plain("forty")}, "OrderTotal 'forty' is not a number"),
        ({"OrderTotal": Plain("NaN")}, "OrderTotal 'NaN' is not a number"),
        ({"Gift": Plain("perhaps")}, "Gift 'perhaps' is not true or false"),
        ({"Customer": None}, "Customer is missing"),
        ({"Customer/ShipTo/Name": None}, "Customer/ShipTo/Name is missing"),
        ({"Items/Item": [item(Quantity=0)]}, "Items/Item[1]/Quantity '0' is not a whole number"),
        ({"Items/Item": [item(Quantity=100000)]}, "Quantity '100000' is not a whole number"),
        ({"Items/Item": [item(), item(Quantity=Plain("1.5"))]}, "Items/Item[2]/Quantity '1.5'"),
        ({"Items/Item": [item(SKU=None)]}, "Items/Item[1]/SKU is missing"),
        ({"Items/Item": [item(Weight=Plain("-2"))]}, "Items/Item[1]/Weight '-2' is negative"),
        ({"Items/Item": [item(WeightUnits="stone")]}, "'stone' is not a weight unit"),
    ],
)
def test_an_invalid_order_names_the_field(changes: dict, problem: str):
    [parsed] = parse_page(feed(order("5001", changes))).orders
    assert isinstance(parsed, InvalidOrder)
    assert parsed.order_number == "5001"
    assert problem in parsed.problem


def test_an_invalid_order_without_a_number_is_named_by_position():
    [parsed] = parse_page(feed(order("5001", {"OrderNumber": None, "OrderID": None}))).orders
    assert parsed == InvalidOrder("(order 1 of the page)", "OrderNumber is missing")


def test_free_text_is_kept_exactly():
    text = 'Tom & Jerry\'s <b>"special"</b> ]]> stays, 東京 🎽👕\n  indented, trailing   '
    parsed = only_order(
        feed(order("5002", {"CustomerNotes": text, "InternalNotes": text, "GiftMessage": text}))
    )
    assert parsed.customer_notes == parsed.internal_notes == parsed.gift_message == text


def test_empty_text_and_absent_elements_are_none():
    parsed = only_order(
        feed(order("5003", {"PaymentMethod": "", "ShippingMethod": None, "CustomField1": ""}))
    )
    assert parsed.payment_method is None
    assert parsed.requested_service is None
    assert parsed.coupons == []


def test_element_names_in_another_letter_case_are_read():
    body = feed(order("5004")).replace(b"<OrderTotal>", b"<ordertotal>")
    body = body.replace(b"</OrderTotal>", b"</ordertotal>")
    assert only_order(body).order_total == Decimal("44.87")


def test_email_falls_back_to_bill_to_and_phone_to_ship_to():
    parsed = only_order(
        feed(order("5005", {"Customer/CustomerCode": None, "Customer/BillTo/Phone": None}))
    )
    assert parsed.customer_email == "jane@example.com"
    assert parsed.customer_phone == "555-000-1111"


def test_item_weights_default_to_the_order_unit_and_zero_is_no_weight():
    parsed = only_order(
        feed(
            order(
                "5006",
                {
                    "WeightUnits": "Grams",
                    "Items/Item": [
                        item("A", WeightUnits=None, Weight=Plain("150")),
                        item("B", Weight=Plain("0")),
                    ],
                },
            )
        )
    )
    assert parsed.items[0].weight == Weight(Decimal(150), "grams")
    assert parsed.items[1].weight is None
    assert parsed.total_weight is None


def test_coupon_codes_split_on_commas():
    parsed = only_order(feed(order("5007", {"CustomField1": "SPRING10, TEAM5,VIP ,"})))
    assert parsed.coupons == ["SPRING10", "TEAM5", "VIP"]


def test_pages_attribute_is_read():
    assert parse_page(feed(order("1"), pages=4)).pages == 4
    assert parse_page(feed(order("1"), pages=None)).pages is None
    assert parse_page(b'<Orders pages="many"/>').pages is None


@pytest.mark.parametrize("amount", ["1e400", "-1e12", "1000000000"])
def test_an_absurd_amount_makes_the_order_invalid_not_the_page(amount):
    page = parse_page(feed(order("1"), order("2", {"OrderTotal": Plain(amount)}), order("3")))
    [broken] = [entry for entry in page.orders if isinstance(entry, InvalidOrder)]
    assert broken.order_number == "2"
    assert "OrderTotal" in broken.problem and "out of range" in broken.problem
    assert len(page.orders) == 3
