"""Then: what the connector recorded, what InkSoft recorded, what the customer received."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs

import tracking_numbers
from pytest_bdd import given, parsers, then

from bdd_steps import email_view
from bdd_steps.world import (
    AMOUNT_FIELDS,
    TEXT_FIELD_NAMES,
    World,
    dig,
    display,
    order_numbers,
    same,
    table_rows,
    unescape,
)
from safexml import parse_xml


def imported(world: World) -> dict[str, dict]:
    return {order["order_number"]: order for order in world.store.orders()}


def inksoft_order(world: World, number: str) -> dict:
    return world.inksoft.admin.order(number)


def shipments_for(world: World, number: str) -> list[dict]:
    return [s for s in world.inksoft.admin.shipments() if str(s["order_number"]) == number]


def label_tracking_number(world: World, number: str) -> str:
    """The tracking number InkSoft recorded for the order's shipment (not the e-mail's)."""
    [shipment] = shipments_for(world, number)
    return shipment["tracking_number"]


def label_of(world: World, number: str):
    return next(r for r in world.ship_results if r.order_number == number)


def check_fields(record: dict, rows: list[dict[str, str]], what: str) -> None:
    for row in rows:
        actual = dig(record, row["field"])
        assert same(actual, row["value"]), (
            f"{what}: {row['field']} is {display(actual)!r}, not {row['value']!r}"
        )


# --- Stores and settings ---------------------------------------------------------------------


@then(parsers.parse('the store "{name}" is connected to Publisher ID {publisher_id:d}'))
def store_connected(world: World, name: str, publisher_id: int) -> None:
    """The connector holds exactly this store, connected to this Publisher ID."""
    stores = world.store.stores()
    assert [(s["name"], int(s["publisher_id"])) for s in stores] == [(name, publisher_id)]


def check_settings(world: World, rows: list[dict[str, str]], store: str | None = None) -> None:
    """The store's settings (the named store's, or the default one's) have the values of these
    (setting, value) rows; dotted paths."""
    settings = world.store.settings(store)
    for row in rows:
        actual = dig(settings, row["setting"])
        assert same(actual, row["value"]), f"{row['setting']} is {display(actual)!r}"


@then("the store settings are")
def settings_are(world: World, datatable) -> None:
    """The store's settings have these values (setting, value; dotted paths)."""
    rows = table_rows(datatable)
    world.require_settings([row["setting"] for row in rows])
    check_settings(world, rows)


@then(parsers.parse('the connection is refused with a message containing "{text}"'))
@then(parsers.parse('the change is refused with a message containing "{text}"'))
def refused(world: World, text: str) -> None:
    """The last attempt was refused with a message containing this text (any case)."""
    assert world.error is not None, "nothing was refused"
    assert text.lower() in str(world.error).lower(), f"the message was: {world.error}"


@then("no store is stored")
def no_store(world: World) -> None:
    """After a reopen, the connector holds no store."""
    world.open_connector()
    assert world.store.stores() == []


@then("InkSoft received no request")
def no_request(world: World) -> None:
    """InkSoft's request journal holds no store request (the control API aside)."""
    journal = [r for r in world.inksoft.admin.requests() if not r["path"].startswith("/__admin")]
    assert journal == []


@then(parsers.parse('the password "{password}" appears in no message, log or database file'))
def password_never_shown(world: World, password: str, caplog) -> None:
    """The password is in no error message, log record or file beside the database."""
    assert password not in str(world.error)
    assert password not in repr(world.error)
    assert all(password not in record.getMessage() for record in caplog.records)
    for path in world.db_path.parent.iterdir():
        if path.is_file():
            assert password.encode() not in path.read_bytes(), f"the password is in {path.name}"


@given("the store shows no error")
@then("the store shows no error")
def store_without_error(world: World) -> None:
    """The store shows no store error."""
    assert world.store.status()["error"] is None


@given(parsers.parse('the store shows the error "{message}"'))
@then(parsers.parse('the store shows the error "{message}"'))
def store_error(world: World, message: str) -> None:
    """The store shows exactly this store error."""
    assert world.store.status()["error"] == message


@then(parsers.parse('the refresh fails with the store error "{message}"'))
def refresh_fails(world: World, message: str) -> None:
    """The last refresh failed with exactly this store error."""
    assert not world.summary.ok
    assert world.summary.error == message


# --- Imported orders -------------------------------------------------------------------------


@then("the import succeeds")
def import_succeeds(world: World) -> None:
    """The last refresh succeeded."""
    assert world.summary.ok, world.summary.error


@then(parsers.parse('the orders "{numbers}" are imported'))
def orders_imported(world: World, numbers: str) -> None:
    """The connector has imported these orders."""
    orders = imported(world)
    missing = [n for n in order_numbers(numbers) if n not in orders]
    assert not missing, f"not imported: {missing}"


@then(parsers.parse('the orders "{numbers}" are not imported'))
def orders_not_imported(world: World, numbers: str) -> None:
    """The connector has imported none of these orders."""
    orders = imported(world)
    present = [n for n in order_numbers(numbers) if n in orders]
    assert not present, f"imported all the same: {present}"


@then(parsers.parse("{count:d} orders are imported"))
def count_imported(world: World, count: int) -> None:
    """The connector holds exactly this many orders."""
    numbers = [order["order_number"] for order in world.store.orders()]
    assert len(numbers) == len(set(numbers)) == count


@then(parsers.parse('the order "{number}" is imported as "{status}"'))
def imported_as(world: World, number: str, status: str) -> None:
    """The order is imported with this ShipStation status."""
    assert imported(world)[number]["status"] == status


@then(parsers.parse('the order "{number}" is imported once, as "{status}"'))
def imported_once(world: World, number: str, status: str) -> None:
    """The order is imported once, with this ShipStation status."""
    matching = [o for o in world.store.orders() if o["order_number"] == number]
    assert len(matching) == 1
    assert matching[0]["status"] == status


@then(parsers.parse('the order "{number}" is not imported, reported as "{reason}"'))
def not_imported(world: World, number: str, reason: str) -> None:
    """The order is not imported and the refresh reports it with this reason."""
    assert number not in imported(world)
    reasons = {s.order_number: s.reason for s in world.summary.skipped}
    assert reasons.get(number) == reason, f"skipped: {world.summary.skipped}"


@then(parsers.parse('the report for order "{number}" names the status "{status}"'))
def report_names_status(world: World, number: str, status: str) -> None:
    """The refresh's report for the order names this InkSoft status."""
    skipped = next(s for s in world.summary.skipped if s.order_number == number)
    assert f"'{status}'" in skipped.message or f'"{status}"' in skipped.message, skipped.message


@then(parsers.parse('the imported order "{number}" has'))
def imported_order_has(world: World, number: str, datatable) -> None:
    """The imported order has these field values (field, value; dotted paths)."""
    check_fields(imported(world)[number], table_rows(datatable), f"order {number}")


@then(parsers.parse('the imported order "{number}" has the items'))
def imported_items(world: World, number: str, datatable) -> None:
    """The imported order has exactly these items, field by field."""
    items = imported(world)[number]["items"]
    rows = table_rows(datatable)
    assert [item["sku"] for item in items] == [row["sku"] for row in rows]
    for item, row in zip(items, rows, strict=True):
        check_fields(item, [{"field": k, "value": v} for k, v in row.items()], f"item {row['sku']}")


@then(parsers.parse('the imported order "{number}" has the discounts'))
def imported_discounts(world: World, number: str, datatable) -> None:
    """The imported order has exactly these discounts."""
    discounts = imported(world)[number]["discounts"]
    rows = table_rows(datatable)
    assert len(discounts) == len(rows), discounts
    for discount, row in zip(discounts, rows, strict=True):
        check_fields(discount, [{"field": k, "value": v} for k, v in row.items()], "discount")


@then(parsers.parse('item "{sku}" of order "{number}" has'))
def item_has(world: World, sku: str, number: str, datatable) -> None:
    """An item of an imported order has these field values (field, value)."""
    item = next(i for i in imported(world)[number]["items"] if i["sku"] == sku)
    check_fields(item, table_rows(datatable), f"item {sku}")


@then(parsers.parse('item "{sku}" of order "{number}" has the options'))
def item_options(world: World, sku: str, number: str, datatable) -> None:
    """An item of an imported order has exactly these options (name, value)."""
    item = next(i for i in imported(world)[number]["items"] if i["sku"] == sku)
    assert item["options"] == table_rows(datatable)


@then("every imported item has a design, a colour and a size")
def items_fully_described(world: World) -> None:
    """Every item of every imported order has a design, a colour and a size."""
    for order in world.store.orders():
        assert order["items"], order["order_number"]
        for item in order["items"]:
            assert item["design"] and item["color"] and item["size"], item


@then(
    parsers.re(
        r'the imported order "(?P<number>\d+)" has the same (?P<which>customer notes|internal notes)$'
    )
)
def same_text(world: World, number: str, which: str) -> None:
    """The imported order's customer notes or internal notes are exactly the text given in InkSoft."""
    name = which.replace(" ", "_")
    assert imported(world)[number][name] == world.texts[name]


@then(
    parsers.parse(
        'the imported order "{number}" has the same text as customer notes, internal notes and gift message'
    )
)
def same_texts(world: World, number: str) -> None:
    """The imported order's notes and gift message are exactly the texts given in InkSoft."""
    order = imported(world)[number]
    for name, text in world.texts.items():
        assert order[name] == text, f"{name}: {order[name]!r} != {text!r}"


@then("the product catalogue has")
def catalogue_has(world: World, datatable) -> None:
    """The connector's product catalogue has these products (sku, then fields)."""
    world.require("products")
    products = {p["sku"]: p for p in world.store.products()}
    for row in table_rows(datatable):
        product = products[row["sku"]]
        check_fields(
            product,
            [{"field": k, "value": v} for k, v in row.items() if k != "sku"],
            f"product {row['sku']}",
        )


@then("the product catalogue is empty")
def catalogue_empty(world: World) -> None:
    """The connector's product catalogue is empty."""
    world.require("products")
    assert world.store.products() == []


@then(parsers.parse("the import read {pages:d} pages"))
def pages_read(world: World, pages: int) -> None:
    """The last import read this many pages."""
    assert world.summary.pages == pages


@then(parsers.parse('InkSoft was asked for the pages "{pages}"'))
def pages_asked(world: World, pages: str) -> None:
    """InkSoft answered exports for exactly these page numbers."""
    asked = [
        re.search(r"(?:^|&)page=(\d+)", r["query"] or "")
        for r in world.inksoft.admin.requests()
        if r.get("action") == "export" and r["status"] == 200
    ]
    numbers = sorted({int(m[1]) if m else 1 for m in asked})
    assert numbers == [int(p) for p in order_numbers(pages)]


# --- Labels and shipment updates -------------------------------------------------------------


@then("the label batch reports")
def batch_reports(world: World, datatable) -> None:
    """The label batch reports these outcomes (order_number, ok, then carrier, error, …)."""
    results = {r.order_number: r for r in world.ship_results}
    rows = table_rows(datatable)
    assert sorted(results) == sorted(row["order_number"] for row in rows)
    for row in rows:
        result = results[row["order_number"]]
        assert display(result.ok) == row["ok"], result
        if "carrier" in row:
            assert result.carrier == row["carrier"]
        if "notified" in row:
            assert display(result.notified) == row["notified"], result
        if row.get("error contains"):
            assert row["error contains"].lower() in (result.error or "").lower(), result.error


def is_valid_tracking_number(carrier: str, number: str) -> bool:
    """The independent oracle: the ``tracking-numbers`` package (the public
    tracking_number_data rules: format and check digit per carrier)."""
    found = tracking_numbers.get_tracking_number(number)
    return found is not None and found.valid and found.courier.code == carrier.lower()


@then("every label has a tracking number valid for its carrier, a carrier fee and a label file")
def labels_complete(world: World) -> None:
    """Every label has a tracking number valid for its carrier, a carrier fee and a label file."""
    for result in world.ship_results:
        assert is_valid_tracking_number(result.carrier, result.tracking_number), result
        assert result.carrier_fee > 0
        assert Path(result.label_path).is_file()
        assert Path(result.label_path).read_text().startswith("^XA")


@then(parsers.parse('InkSoft has received shipments for the orders "{numbers}" only'))
def shipments_only_for(world: World, numbers: str) -> None:
    """InkSoft has received shipments for these orders and no others."""
    shipped = sorted(str(s["order_number"]) for s in world.inksoft.admin.shipments())
    assert shipped == sorted(order_numbers(numbers))


@then(parsers.parse('InkSoft shows the order "{number}" as "{status}"'))
def inksoft_status(world: World, number: str, status: str) -> None:
    """InkSoft shows the order in this InkSoft status."""
    assert inksoft_order(world, number)["status"] == status


@then(
    parsers.parse(
        'InkSoft\'s shipment for order "{number}" carries the tracking number of its label'
    )
)
def shipment_tracking(world: World, number: str) -> None:
    """InkSoft's one shipment for the order carries its label's tracking number."""
    label = label_of(world, number)
    [shipment] = shipments_for(world, number)
    assert shipment["tracking_number"] == label.tracking_number


@then(parsers.parse("InkSoft's shipments carry the carrier, service and fee of their labels"))
def shipments_carry(world: World, datatable) -> None:
    """InkSoft's shipments carry the carrier, service and fee of their labels (order_number, carrier, service)."""
    for row in table_rows(datatable):
        label = label_of(world, row["order_number"])
        [shipment] = shipments_for(world, row["order_number"])
        assert (shipment["carrier"], shipment["service"]) == (row["carrier"], row["service"])
        assert (label.carrier, label.service) == (row["carrier"], row["service"])
        assert shipment["shipping_cost"] is not None, f"no carrier fee in {shipment['raw']}"
        assert abs(float(shipment["shipping_cost"]) - float(label.carrier_fee)) < 0.005


@then(parsers.parse('InkSoft\'s shipment for order "{number}" carries the same notes to the buyer'))
def shipment_notes(world: World, number: str) -> None:
    """InkSoft's shipment for the order carries the notes to the buyer that were sent."""
    [shipment] = shipments_for(world, number)
    assert shipment["notes_to_customer"] == world.texts["notes_to_buyer"]


@then(parsers.parse('the order "{number}" is "{status}" in the connector'))
@then(parsers.parse('the orders "{number}" are "{status}" in the connector'))
def connector_status(world: World, number: str, status: str) -> None:
    """The orders have this ShipStation status in the connector."""
    orders = imported(world)
    for each in order_numbers(number):
        assert orders[each]["status"] == status, (each, orders[each]["status"])


@then(parsers.parse('the order "{number}" is recorded as delivered'))
def recorded_delivered(world: World, number: str) -> None:
    """Every shipment of the order is recorded as delivered."""
    assert all(s["delivered"] for s in imported(world)[number]["shipments"])


# --- E-mail ----------------------------------------------------------------------------------


def mail_to(world: World, address: str) -> list:
    return [m for m in world.smtp.messages if address in str(m["To"])]


@then(parsers.parse('"{address}" receives {count:d} e-mail'))
def receives(world: World, address: str, count: int) -> None:
    """This address has received this many e-mails."""
    assert len(mail_to(world, address)) == count


@then("no e-mail is sent")
def no_mail(world: World) -> None:
    """No e-mail has been sent."""
    assert world.smtp.messages == []


@then(
    parsers.parse(
        'the e-mail to "{address}" is from "{brand}", replies to "{reply_to}" and gives the carrier '
        'and tracking number of order "{number}"'
    )
)
def shipment_mail(world: World, address: str, brand: str, reply_to: str, number: str) -> None:
    """The shipment e-mail shows the store's brand, reply-to address, carrier and tracking number."""
    [message] = mail_to(world, address)
    label = label_of(world, number)
    assert brand in str(message["From"])
    assert str(message["Reply-To"]) == reply_to
    body = email_view.text_part(message)
    assert label.carrier in body and label.tracking_number in body and number in body


@then(parsers.parse('the e-mail to "{address}" says order "{number}" was delivered'))
def delivery_mail(world: World, address: str, number: str) -> None:
    """The delivery e-mail to the address names the order as delivered."""
    [message] = mail_to(world, address)
    assert "delivered" in str(message["Subject"]).lower()
    assert number in email_view.text_part(message)


# --- The bare protocol client ----------------------------------------------------------------


@then(parsers.parse('InkSoft answers 200 with the orders "{numbers}"'))
def answers_orders(world: World, numbers: str) -> None:
    """InkSoft's last answer on the wire is 200 with exactly these orders, in order."""
    response = world.wire_responses[-1]
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml"), response.content[:40]
    root = parse_xml(response.content)
    assert [n.text for n in root.iter("OrderNumber")] == order_numbers(numbers)


@then(parsers.parse('InkSoft answers {status:d} with the error code "{code}"'))
def answers_error(world: World, status: int, code: str) -> None:
    """InkSoft's last answer on the wire has this status and an error with this code and a message."""
    response = world.wire_responses[-1]
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    error = parse_xml(response.content)
    assert error.tag == "Error"
    assert error.findtext("Code") == code, response.text
    assert error.findtext("Message")
    if status == 401:
        assert response.headers.get("WWW-Authenticate") == 'Basic realm="InkSoft"'


@then("InkSoft answered 200 to both notices")
def both_accepted(world: World) -> None:
    """InkSoft answered 200 to both shipment notices sent."""
    assert [r.status_code for r in world.wire_responses] == [200, 200]


@then(parsers.re(r'InkSoft has recorded (?P<count>\d+) shipments? for order "(?P<number>\d+)"'))
def recorded_shipments(world: World, count: str, number: str) -> None:
    """InkSoft has recorded exactly this many shipments for the order."""
    assert len(shipments_for(world, number)) == int(count)


# --- Faults ----------------------------------------------------------------------------------


@then(parsers.parse('the refresh fails with a store error containing "{text}"'))
def refresh_fails_with(world: World, text: str) -> None:
    """The last refresh failed with ShipStation's store error containing this text."""
    assert not world.summary.ok
    assert world.summary.error.startswith(
        "Error updating store: An error occurred attempting to update orders: "
    ), world.summary.error
    assert text.lower() in world.summary.error.lower(), world.summary.error


@then("the store shows that error")
def store_shows_that_error(world: World) -> None:
    """The store shows the error the last refresh failed with."""
    assert world.store.status()["error"] == world.summary.error


@then("no shipment update is queued")
def nothing_queued(world: World) -> None:
    """The connector has no shipment update queued."""
    assert world.store.status()["queued_notices"] == 0


# --- Section C: what InkSoft was asked, several stores, amounts, contacts, kept labels -------


def wire_journal(world: World, action: str) -> list[dict]:
    """The store-endpoint requests InkSoft received for ``action``, oldest first."""
    return [r for r in world.inksoft.admin.requests() if r.get("action") == action]


def query_of(entry: dict) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(entry["query"] or "").items()}


def received_at(entry: dict) -> datetime:
    return datetime.fromisoformat(entry["time"].replace("Z", "+00:00"))


@then(parsers.parse('the refresh asked InkSoft for the orders modified from "{start}" to "{end}"'))
def window_asked(world: World, start: str, end: str) -> None:
    """The last export asked for exactly this start and end of the modified-date window."""
    exports = wire_journal(world, "export")
    assert exports, "InkSoft received no export request"
    asked = query_of(exports[-1])
    assert (asked.get("start_date"), asked.get("end_date")) == (start, end), asked


@then(parsers.re(r"InkSoft was asked for the export (?P<count>\d+) times?$"))
def exports_asked(world: World, count: str) -> None:
    """InkSoft received exactly this many export requests."""
    exports = wire_journal(world, "export")
    assert len(exports) == int(count), [(r["status"], r["fault"]) for r in exports]


@then("InkSoft was asked for the export more than once")
def export_retried(world: World) -> None:
    """InkSoft received more than one export request."""
    assert len(wire_journal(world, "export")) > 1, "the export was not asked for again"


@then(
    parsers.re(
        r"InkSoft was asked again at least (?P<seconds>\d+) seconds? after it said to retry later$"
    )
)
def retry_waited(world: World, seconds: str) -> None:
    """After a 429 or 503, the next export came at least this many seconds later (real time and the connector's waits in between), and the refresh took as long."""
    exports = wire_journal(world, "export")
    refused = next(i for i, r in enumerate(exports) if r["status"] in (429, 503))
    assert len(exports) > refused + 1, "InkSoft was not asked again"
    first, then = exports[refused], exports[refused + 1]
    waited = world.waits.between(first["id"], then["id"])
    gap = (received_at(then) - received_at(first)).total_seconds() + waited
    assert gap >= int(seconds), f"asked again after {gap:g} s ({waited:g} s of it waited)"
    assert world.refresh_seconds >= int(seconds), f"the refresh took {world.refresh_seconds:.2f} s"


@then(
    parsers.re(r'InkSoft received (?P<count>\d+) shipment notices? for order "(?P<number>[^"]+)"$')
)
def notices_received(world: World, count: str, number: str) -> None:
    """InkSoft received exactly this many shipment notices for the order."""
    notices = [
        r for r in wire_journal(world, "shipnotify") if query_of(r).get("order_number") == number
    ]
    assert len(notices) == int(count), [(r["status"], r["fault"]) for r in notices]


@then(parsers.parse('the store "{store}" has the orders "{numbers}" only'))
def store_has_only(world: World, store: str, numbers: str) -> None:
    """The named store holds exactly these orders."""
    found = sorted(order["order_number"] for order in world.store.orders(store))
    assert found == sorted(order_numbers(numbers))


@then(parsers.parse('the store "{store}" has no orders'))
def store_has_none(world: World, store: str) -> None:
    """The named store holds no order."""
    assert world.store.orders(store) == []


@then(parsers.parse('the order "{number}" of "{store}" is "{status}" in the connector'))
def store_order_status(world: World, number: str, store: str, status: str) -> None:
    """The order of the named store has this ShipStation status."""
    [order] = [o for o in world.store.orders(store) if o["order_number"] == number]
    assert order["status"] == status


@then(parsers.parse('the order "{number}" of "{store}" was imported with the total {total}'))
def store_order_total(world: World, number: str, store: str, total: str) -> None:
    """The order of the named store was imported with exactly this total."""
    [order] = [o for o in world.store.orders(store) if o["order_number"] == number]
    assert Decimal(str(order["order_total"])) == Decimal(total), order["order_total"]


@then(parsers.parse('it is refused with a message naming the stores "{names}"'))
def refused_naming(world: World, names: str) -> None:
    """The last attempt was refused with a message naming each of these stores."""
    assert world.error is not None, "nothing was refused"
    for name in order_numbers(names):
        assert name in str(world.error), f"the message was: {world.error}"


@then(parsers.parse('the store "{store}" shows no error'))
def named_store_without_error(world: World, store: str) -> None:
    """The named store shows no store error."""
    assert world.store.status(store)["error"] is None


@then(parsers.parse('the store "{store}" shows an error containing "{text}"'))
def named_store_error(world: World, store: str, text: str) -> None:
    """The named store shows a store error containing this text (any case)."""
    error = world.store.status(store)["error"] or ""
    assert text.lower() in error.lower(), error


@then(parsers.parse('the settings of "{store}" are'))
def named_settings_are(world: World, store: str, datatable) -> None:
    """The named store's settings have these values (setting, value)."""
    check_settings(world, table_rows(datatable), store=store)


@then(
    parsers.parse(
        'InkSoft shows the order "{number}" of the account {publisher_id:d} as "{status}"'
    )
)
def account_order_status(world: World, number: str, publisher_id: int, status: str) -> None:
    """InkSoft shows the order of this account in this InkSoft status."""
    [order] = [
        o
        for o in world.inksoft.admin.orders()
        if o["order_number"] == number and int(o["publisher_id"]) == publisher_id
    ]
    assert order["status"] == status


@then(parsers.re(r'the store "(?P<store>[^"]+)" has (?P<count>\d+) queued shipment updates?$'))
def named_store_queue(world: World, store: str, count: str) -> None:
    """The named store has exactly this many shipment updates queued."""
    assert world.store.status(store)["queued_notices"] == int(count)


def cents(value: object) -> Decimal:
    return Decimal(str(value))


EXPORT_AMOUNTS = {"total": "OrderTotal", "tax": "TaxAmount", "shipping": "ShippingAmount"}


@then("the orders are imported with the amounts")
def imported_amounts(world: World, datatable) -> None:
    """The imported orders have exactly these amounts, to the cent (order, then amount columns)."""
    orders = imported(world)
    for row in table_rows(datatable):
        order = orders[row["order"]]
        for column, key in AMOUNT_FIELDS.items():
            assert cents(order[key]) == Decimal(row[column]), (
                f"order {row['order']}: {column} is {order[key]!r}, not {row[column]}"
            )


@then("the export lists the amounts")
def exported_amounts(world: World, datatable) -> None:
    """InkSoft's last export lists these amounts for each order."""
    response = world.wire_responses[-1]
    assert response.status_code == 200, response.text
    exported = {o.findtext("OrderNumber"): o for o in parse_xml(response.content).iter("Order")}
    for row in table_rows(datatable):
        order = exported[row["order"]]
        for column, tag in EXPORT_AMOUNTS.items():
            text = order.findtext(tag)
            expected = None if row[column] == "(none)" else row[column]
            assert text == expected, f"order {row['order']}: <{tag}> is {text!r}, not {expected!r}"


CONTACT_KEYS = {
    "billing": {"name": "name", "company": "company", "phone": "phone", "e-mail": "email"},
    "shipping": {
        "name": "name",
        "company": "company",
        "phone": "phone",
        "street": "street1",
        "city": "city",
        "state": "state",
        "ZIP": "postal_code",
        "country": "country",
    },
}


@then(parsers.parse('the imported order "{number}" has the contacts'))
def imported_contacts(world: World, number: str, datatable) -> None:
    """The imported order's billing and shipping contacts have these parts (part, billing, shipping; - for not checked)."""
    order = imported(world)[number]
    sides = {"billing": order["bill_to"] or {}, "shipping": order["ship_to"] or {}}
    for row in table_rows(datatable):
        for side, record in sides.items():
            if row[side] == "-":
                continue
            key = CONTACT_KEYS[side][row["part"]]
            expected = None if row[side] == "(none)" else row[side]
            assert key in record, f"the {side} contact has no {row['part']}: {record}"
            assert record[key] == expected, f"{side} {row['part']}: {record[key]!r}"


@then(
    parsers.parse('the orders "{numbers}" still await shipment in the connector, without a label')
)
def still_awaiting(world: World, numbers: str) -> None:
    """The orders still await shipment in the connector, with no label."""
    orders = imported(world)
    for number in order_numbers(numbers):
        assert orders[number]["status"] == "awaiting_shipment", orders[number]["status"]
        assert orders[number]["shipments"] == [], orders[number]["shipments"]


@then(
    parsers.parse(
        'the label files beside the connector\'s database are those of the orders "{numbers}"'
    )
)
def label_files(world: World, numbers: str) -> None:
    """The label files beside the database are exactly those of these orders."""
    orders = imported(world)
    kept = {
        Path(shipment["label_path"]).resolve()
        for number in order_numbers(numbers)
        for shipment in orders[number]["shipments"]
    }
    on_disk = {path.resolve() for path in (world.db_path.parent / "labels").rglob("*.zpl")}
    assert on_disk == kept, sorted(p.name for p in on_disk)


@then(parsers.parse('the connector keeps the label of order "{number}" from its batch'))
def label_kept(world: World, number: str) -> None:
    """The connector keeps the order's label from its batch: tracking number and a ZPL file."""
    label = label_of(world, number)
    [shipment] = imported(world)[number]["shipments"]
    assert shipment["tracking_number"] == label.tracking_number
    assert shipment["label_path"] == label.label_path
    assert Path(label.label_path).read_text().startswith("^XA")


@then(parsers.parse('the report for order "{number}" names "{what}"'))
def report_names(world: World, number: str, what: str) -> None:
    """The refresh's report of the skipped order names this."""
    [skipped] = [s for s in world.summary.skipped if s.order_number == number]
    assert what in skipped.message, skipped.message


@then(
    parsers.parse(
        'InkSoft\'s shipment for order "{number}" carries the tracking number the connector recorded'
    )
)
def shipment_tracking_recorded(world: World, number: str) -> None:
    """InkSoft's one shipment for the order carries the tracking number the connector recorded."""
    [label] = imported(world)[number]["shipments"]
    assert label_tracking_number(world, number) == label["tracking_number"]


@then(parsers.re(r"the store has (?P<count>\d+) queued shipment updates?$"))
def store_queue(world: World, count: str) -> None:
    """The store has exactly this many shipment updates queued."""
    assert world.store.status()["queued_notices"] == int(count)


@then("the labels of the batch are")
def batch_labels(world: World, datatable) -> None:
    """The label batch made labels with these carriers and services (order_number, carrier, service)."""
    results = {r.order_number: r for r in world.ship_results}
    for row in table_rows(datatable):
        result = results[row["order_number"]]
        assert (result.carrier, result.service) == (row["carrier"], row["service"]), result


@then("InkSoft has received no shipment")
def no_shipment(world: World) -> None:
    """InkSoft has received no shipment."""
    assert world.inksoft.admin.shipments() == []


@then("InkSoft shows the orders with the amounts")
def inksoft_amounts(world: World, datatable) -> None:
    """InkSoft shows these amounts for each order, to the cent ((none) for absent)."""
    for row in table_rows(datatable):
        order = inksoft_order(world, row["order"])
        for column, key in AMOUNT_FIELDS.items():
            shown = None if order[key] is None else cents(order[key])
            expected = None if row[column] == "(none)" else Decimal(row[column])
            assert shown == expected, f"order {row['order']}: {column} is {order[key]!r}"


# --- gherkin14b: effects pinned by figures written in the scenario ---------------------------


@then(
    parsers.re(
        r'the imported order "(?P<number>\d+)" has the (?P<which>customer notes|internal notes|'
        r'gift message) "(?P<text>.*)"$'
    )
)
def imported_text(world: World, number: str, which: str, text: str) -> None:
    """Checks one free-text field of the imported order, character for character."""
    actual = imported(world)[number][TEXT_FIELD_NAMES[which]]
    assert actual == unescape(text), f"{which}: {actual!r}"


@then(parsers.re(r'the refresh reports the orders? "(?P<numbers>[^"]+)" as (?P<how>new|updated)$'))
def refresh_reports(world: World, numbers: str, how: str) -> None:
    """Checks the last refresh reported these orders as new or as updated."""
    summary = world.summary
    listed, other = (
        (summary.imported, summary.updated) if how == "new" else (summary.updated, summary.imported)
    )
    for number in order_numbers(numbers):
        assert listed.count(number) == 1 and number not in other, (
            f"new: {summary.imported}, updated: {summary.updated}"
        )


@then(
    parsers.re(
        r'InkSoft received (?P<count>\d+) shipment notices? for each of the orders? "(?P<numbers>[^"]+)"'
    )
)
def notices_received_for(world: World, count: str, numbers: str) -> None:
    """Counts the shipment notices InkSoft received for each of these orders (its request journal)."""
    received = [query_of(r).get("order_number") for r in wire_journal(world, "shipnotify")]
    for number in order_numbers(numbers):
        assert received.count(number) == int(count), f"notices received: {received}"


@then(parsers.parse("InkSoft received {count:d} shipment notices in all"))
def notices_in_all(world: World, count: int) -> None:
    """Counts every shipment notice InkSoft received (its request journal)."""
    assert len(wire_journal(world, "shipnotify")) == count


def label_weight_oz(label_path: str) -> str:
    """The weight printed on the label file, in ounces (``WEIGHT: 15.7 OZ``)."""
    match = re.search(r"WEIGHT: ([0-9.]+) OZ", Path(label_path).read_text(encoding="utf-8"))
    assert match, f"no weight on the label {label_path}"
    return match[1]


@then("the labels are rated")
def labels_rated(world: World, datatable) -> None:
    """Carrier, service, rated weight (ounces, as printed) and carrier fee, as written; and
    InkSoft's shipment carries the same carrier, service and fee."""
    for row in table_rows(datatable):
        label = label_of(world, row["order_number"])
        assert label.ok, label.error
        assert (label.carrier, label.service) == (row["carrier"], row["service"]), label
        assert f"{label.carrier_fee:.2f}" == row["carrier fee"], label.carrier_fee
        assert label_weight_oz(label.label_path) == row["rated weight"]
        [shipment] = shipments_for(world, row["order_number"])
        assert (shipment["carrier"], shipment["service"]) == (row["carrier"], row["service"])
        assert f"{shipment['shipping_cost']:.2f}" == row["carrier fee"], shipment


@then(parsers.parse('InkSoft\'s shipment for order "{number}" lists the items "{skus}"'))
def shipment_items(world: World, number: str, skus: str) -> None:
    """Checks the items InkSoft recorded as shipped for the order, by SKU."""
    [shipment] = shipments_for(world, number)
    assert [item["sku"] for item in shipment["items"] or []] == order_numbers(skus)


@then(
    parsers.re(
        r'InkSoft\'s shipment for order "(?P<number>\d+)" (?P<asks>asks|does not ask) InkSoft '
        r"to e-mail the customer$"
    )
)
def shipment_notify_customer(world: World, number: str, asks: str) -> None:
    """Checks whether the shipment InkSoft recorded asks InkSoft to e-mail the customer."""
    [shipment] = shipments_for(world, number)
    assert shipment["notify_customer"] is (asks == "asks"), shipment["raw"]


@then(parsers.parse('InkSoft\'s order "{number}" was last modified when its shipment arrived'))
def modified_by_shipment(world: World, number: str) -> None:
    """Checks InkSoft's last-modified time of the order is the time its shipment arrived."""
    shipments = shipments_for(world, number)
    assert shipments, f"no shipment for order {number}"
    assert inksoft_order(world, number)["last_modified"] == shipments[-1]["received_at"]


def wire_orders(response) -> tuple[str | None, list[str]]:
    """The ``pages`` attribute and the order numbers of one export answer."""
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    root = parse_xml(response.content)
    assert root.tag == "Orders"
    return root.get("pages"), [n.text for n in root.iter("OrderNumber")]


@then(
    parsers.re(
        r'InkSoft answers 200 with pages="(?P<pages>\d+)" and the orders "(?P<numbers>[^"]+)"$'
    )
)
def answers_page(world: World, pages: str, numbers: str) -> None:
    """Checks InkSoft's export answer: 200, its pages attribute and exactly these orders in order."""
    answer = wire_orders(world.wire_responses[-1])
    assert answer == (pages, order_numbers(numbers)), f"pages={answer[0]}, orders {answer[1]}"


@then(parsers.re(r'InkSoft answers 200 with pages="(?P<pages>\d+)" and no order$'))
def answers_empty_page(world: World, pages: str) -> None:
    """Checks InkSoft's export answer: 200, its pages attribute and no order."""
    answer = wire_orders(world.wire_responses[-1])
    assert answer == (pages, []), f"pages={answer[0]}, orders {answer[1]}"


@then("InkSoft answers 200 with an empty body")
def answers_empty_body(world: World) -> None:
    """Checks InkSoft answered 200 with an empty body (the empty-queue quirk)."""
    response = world.wire_responses[-1]
    assert response.status_code == 200
    assert response.content == b""


@then(
    parsers.parse(
        'the e-mail to "{address}" gives the service "{service}" and the tracking link of order "{number}"'
    )
)
def mail_gives_service(world: World, address: str, service: str, number: str) -> None:
    """Checks the customer e-mail gives the label's service and the carrier's tracking link."""
    [message] = mail_to(world, address)
    label = label_of(world, number)
    body = email_view.text_part(message)
    assert f"Service: {service}" in body, body
    assert f"Tracking number: {label.tracking_number}" in body, body
    assert label.tracking_number in email_view.html_part(message)


@then(
    "every request InkSoft received from the connector carried its credentials as query parameters"
)
def credentials_went_as_query(world: World) -> None:
    """Checks every request the connector sent carried SS-UserName/SS-Password in its query."""
    received = [r for r in world.inksoft.admin.requests() if r.get("action")]
    assert received, "InkSoft received no request"
    assert {r["auth"] for r in received} == {"query"}, [r["auth"] for r in received]


# --- What the customer reads in an e-mail (issue 14: the whole visible content) ---------------


def only_mail_to(world: World, address: str):
    messages = mail_to(world, address)
    assert len(messages) == 1, f"{address} received {len(messages)} e-mails, not 1"
    return messages[0]


@then(parsers.parse('the e-mails to "{address}" are, in order'))
def mails_in_order(world: World, address: str, datatable) -> None:
    """The e-mails the address received, by subject, exactly and in order (| subject |)."""
    subjects = [str(m["Subject"]) for m in mail_to(world, address)]
    assert subjects == [row["subject"] for row in table_rows(datatable)], subjects


@then(
    parsers.parse(
        'the e-mail to "{address}" gives, in its text and its HTML, the label of order "{number}"'
    )
)
def mail_gives_label(world: World, address: str, number: str, datatable) -> None:
    """``| detail | value |``; ``{tracking number}`` in a value is the one InkSoft recorded."""
    tracking = label_tracking_number(world, number)
    expected = {
        row["detail"]: row["value"].replace("{tracking number}", tracking)
        for row in table_rows(datatable)
    }
    link = expected.pop("Track your package", None)
    for part, view in email_view.both_parts(only_mail_to(world, address)).items():
        assert view.details == expected, f"the {part} part gives {view.details}"
        assert view.links.get("Track your package") == link, f"the {part} part links {view.links}"


@then(parsers.parse('the e-mail to "{address}" lists, in its text and its HTML, the items'))
def mail_lists_items(world: World, address: str, datatable) -> None:
    """``| quantity | item | design | colour | size |``, in order; an empty cell: none shown."""
    expected = [
        {column: row.get(column, "") for column in email_view.ITEM_COLUMNS}
        for row in table_rows(datatable)
    ]
    for part, view in email_view.both_parts(only_mail_to(world, address)).items():
        assert view.items == expected, f"the {part} part lists {view.items}"


@then(parsers.parse('the e-mail to "{address}" ships, in its text and its HTML, to'))
def mail_ships_to(world: World, address: str, docstring: str) -> None:
    """Both parts of the one e-mail give the ship-to address line by line, as written."""
    expected = docstring.splitlines()
    for part, view in email_view.both_parts(only_mail_to(world, address)).items():
        assert view.ship_to == expected, f"the {part} part ships to {view.ship_to}"


@then(
    parsers.parse(
        'the e-mail to "{address}" gives, in its text and its HTML, the notes to the buyer '
        'under "{heading}"'
    )
)
def mail_gives_notes(world: World, address: str, heading: str) -> None:
    """Both parts give the notes to the buyer of the label batch, verbatim, under the heading."""
    expected = {heading: world.texts["notes_to_buyer"]}
    for part, view in email_view.both_parts(only_mail_to(world, address)).items():
        assert view.notes == expected, f"the {part} part has the notes {view.notes}"


@then(parsers.parse('the e-mail to "{address}" has no notes to the buyer'))
def mail_without_notes(world: World, address: str) -> None:
    """Neither part of the one e-mail has a note to the buyer."""
    for part, view in email_view.both_parts(only_mail_to(world, address)).items():
        assert view.notes == {}, f"the {part} part has the notes {view.notes}"
        assert "A note from" not in view.text, f"the {part} part: {view.text}"


@then(parsers.parse('the e-mail to "{address}" does not mention "{text}"'))
def mail_does_not_mention(world: World, address: str, text: str) -> None:
    """Neither part of the one e-mail shows the text anywhere."""
    for part, view in email_view.both_parts(only_mail_to(world, address)).items():
        assert text not in view.text, f"the {part} part mentions {text!r}: {view.text}"


# --- The product catalogue (issue 14: B07 product management) --------------------------------


@then(parsers.parse('the product catalogue lists exactly the SKUs "{skus}"'))
def catalogue_skus(world: World, skus: str) -> None:
    """The product catalogue holds exactly these SKUs (in any order)."""
    listed = sorted(product["sku"] for product in world.store.products())
    assert listed == sorted(order_numbers(skus)), listed


# --- The shipment update InkSoft received, element by element (issue 14: mutation survivors) --


def notice_received(world: World, number: str) -> dict:
    """The one accepted shipnotify request InkSoft received for order ``number``."""
    accepted = [
        r
        for r in wire_journal(world, "shipnotify")
        if query_of(r).get("order_number") == number and r["status"] == 200
    ]
    assert len(accepted) == 1, f"InkSoft accepted {len(accepted)} updates for order {number}"
    return accepted[0]


def with_label(world: World, number: str, value: str) -> str:
    """``{tracking number}`` and ``{carrier fee}`` in a written value: the label's."""
    if "{" not in value:
        return value
    label = label_of(world, number)
    return value.replace("{tracking number}", label.tracking_number).replace(
        "{carrier fee}", f"{label.carrier_fee:.2f}"
    )


@then(
    parsers.parse(
        'the shipment update InkSoft received for order "{number}" is UTF-8 XML that reads'
    )
)
def notice_reads(world: World, number: str, datatable) -> None:
    """``| element | value |``: a path below ``<ShipNotice>`` (``Recipient/Name``,
    ``Items/Item[2]/SKU``) and its text; ``(none)``: no such element."""
    body = notice_received(world, number)["body"]
    assert re.match(r"<\?xml version=.1\.0. encoding=.(?i:utf-8).\?>", body), body[:60]
    root = parse_xml(body.encode("utf-8"))
    assert root.tag == "ShipNotice", root.tag
    for row in table_rows(datatable):
        found = root.find(row["element"])
        expected = with_label(world, number, unescape(row["value"]))
        if expected == "(none)":
            assert found is None, f"{row['element']} is {found.text!r}, not absent"
        else:
            assert found is not None, f"the update has no {row['element']}"
            assert found.text == expected, f"{row['element']} is {found.text!r}, not {expected!r}"


@then(parsers.parse('the shipment update for order "{number}" was sent to InkSoft with the query'))
def notice_query(world: World, number: str, datatable) -> None:
    """``| parameter | value |``: the query string of the request, parameter by parameter."""
    query = query_of(notice_received(world, number))
    expected = {
        row["parameter"]: with_label(world, number, row["value"]) for row in table_rows(datatable)
    }
    assert {key: query.get(key) for key in expected} == expected, query


@then(parsers.parse('InkSoft recorded the shipment of order "{number}" as'))
def shipment_recorded_as(world: World, number: str, datatable) -> None:
    """``| field | value |`` of InkSoft's own shipment record (``recipient.city``, ``ship
    date``…); ``{tracking number}`` and ``{carrier fee}``: the label's."""
    [shipment] = shipments_for(world, number)
    for row in table_rows(datatable):
        actual = dig(shipment, row["field"])
        expected = with_label(world, number, row["value"])
        assert same(actual, expected), f"{row['field']} is {display(actual)!r}, not {expected!r}"


@then(parsers.parse('InkSoft kept the shipment update of order "{number}" as it was received'))
def shipment_kept_raw(world: World, number: str) -> None:
    """InkSoft's shipment record keeps the update's body exactly as the journal received it."""
    [shipment] = shipments_for(world, number)
    assert shipment["raw"] == notice_received(world, number)["body"]


# --- What the connector answers to a delivery report (issue 14: B31) -------------------------


@then(parsers.parse("the delivery reports answered"))
def delivery_answers(world: World, datatable) -> None:
    """``| order_number | delivered | emailed |``, one row per report, in order; ``delivered``
    is whether the report found a package not yet delivered."""
    rows = table_rows(datatable)
    assert len(world.deliveries) == len(rows), world.deliveries
    for answer, row in zip(world.deliveries, rows, strict=True):
        actual = {
            "order_number": answer["order_number"],
            "delivered": display(bool(answer["delivered"])),
            "emailed": display(bool(answer["emailed"])),
        }
        assert actual == row, f"the connector answered {answer}"


@then(parsers.parse('InkSoft\'s message names "{first}" and "{second}"'))
def message_names(world: World, first: str, second: str) -> None:
    """The ``<Message>`` of InkSoft's last error answer, for a person to act on."""
    message = parse_xml(world.wire_responses[-1].content).findtext("Message") or ""
    assert first in message and second in message, message


@then(parsers.parse('InkSoft warned about the last shipment notice that "{text}"'))
def notice_warned(world: World, text: str) -> None:
    """InkSoft's journal has one warning for the last notice, containing the text."""
    [warning] = wire_journal(world, "shipnotify")[-1]["warnings"]
    assert text in warning, warning


@then("InkSoft did not warn about the last shipment notice")
def notice_not_warned(world: World) -> None:
    """InkSoft's journal has no warning for the last notice."""
    assert wire_journal(world, "shipnotify")[-1]["warnings"] == []
