"""Given: the state of InkSoft and of the connector before the action."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from pytest_bdd import given, parsers, when

from bdd_steps.world import (
    AMOUNT_FIELDS,
    TEXT_FIELD_NAMES,
    World,
    cell,
    item_from_row,
    order_numbers,
    set_dotted,
    ship_to_from,
    table_rows,
    typed,
    unescape,
)

TEXT_FIELDS = {
    "customer notes": "customer_notes",
    "internal notes": "internal_notes",
    "gift message": "gift_message",
}


# --- Accounts and stores -------------------------------------------------------------------


@given(parsers.parse("InkSoft has an account with Publisher ID {publisher_id:d} and the users"))
def inksoft_account(world: World, publisher_id: int, datatable) -> None:
    """Saves an active InkSoft account with these users (username, password, permissions)."""
    users = [
        {
            "username": row["username"],
            "password": row["password"],
            "permissions": [p.strip() for p in row["permissions"].split(",") if p.strip()],
        }
        for row in table_rows(datatable)
    ]
    world.accounts[publisher_id] = {"publisher_id": publisher_id, "active": True, "users": users}
    world.inksoft.admin.save_account(world.accounts[publisher_id])


@given(parsers.parse("the InkSoft account {publisher_id:d} is inactive"))
def account_inactive(world: World, publisher_id: int) -> None:
    """Marks an account of the scenario inactive in InkSoft."""
    world.accounts[publisher_id]["active"] = False
    world.inksoft.admin.save_account(world.accounts[publisher_id])


@given(parsers.parse("the InkSoft account {publisher_id:d} has no orders"))
def account_without_orders(world: World, publisher_id: int) -> None:
    """Makes it so: the mock is reset and every order of another account put back."""
    admin = world.inksoft.admin
    others = [o for o in admin.orders() if int(o["publisher_id"]) != publisher_id]
    settings = admin.settings()
    admin.reset()
    admin.change_settings(**settings)
    for account in world.accounts.values():
        admin.save_account(account)
    if others:
        admin.add_orders(others)
    assert [o for o in admin.orders() if int(o["publisher_id"]) == publisher_id] == []


@given(parsers.parse('a connected store "{name}"'))
def connected_store(world: World, name: str) -> None:
    """Connects the connector to the mock's default account under this store name."""
    world.inksoft.connect(world.store, name=name)


@given("the connector sends its credentials as query parameters")
def credentials_as_query(world: World) -> None:
    """Reopens the connector so that it sends its credentials as query parameters."""
    world.require("query-auth")
    world.auth = "query"
    world.open_connector()
    world.inksoft.admin.clear_requests()  # from here on, the journal holds requests sent so


@given(parsers.parse('the connector\'s clock reads "{moment}"'))
@when(parsers.parse('the connector\'s clock reads "{moment}"'))
def clock_reads(world: World, moment: str) -> None:
    """Pins the connector's clock to this ISO 8601 moment."""
    world.require("clock")
    world.clock.pinned = datetime.fromisoformat(moment.replace("Z", "+00:00"))


@given("a day has passed since the last refresh")
def a_day_passes(world: World) -> None:
    """Moves the connector's clock one day on."""
    world.require("clock")
    world.clock.offset += timedelta(days=1)


@given("the store settings are changed")
def settings_changed(world: World, datatable) -> None:
    """Changes store settings (setting, value) through the connector."""
    world.change_settings(table_rows(datatable))


@given("the store sends e-mail through the local SMTP server")
def mail_through_smtp(world: World, smtp_server) -> None:
    """Makes the store send its e-mails to the scenario's local SMTP server."""
    world.require("email")
    world.smtp = smtp_server
    world.store.send_email_through(smtp_server.host, smtp_server.port, "shipping@eagleprints.test")


# --- Orders in InkSoft -----------------------------------------------------------------------


@given("InkSoft has the orders")
def inksoft_orders(world: World, datatable) -> None:
    """Adds orders to InkSoft, one a row: order_number, then any field (ship_to as 'City, ST CC' or none)."""
    for row in table_rows(datatable):
        order = world.order_draft(row["order_number"])
        for column, raw in row.items():
            value = cell(raw)
            if column == "ship_to":
                set_dotted(order, "customer.ship_to", ship_to_from(value))
            elif column != "order_number":
                set_dotted(order, column, typed(column, value))
    world.publish_orders()


@given(parsers.parse('InkSoft has an order "{number}" with the items'))
def inksoft_order_with_items(world: World, number: str, datatable) -> None:
    """Adds a Ready to Ship order with these items (sku, name, weight, color, size, design, …)."""
    order = world.order_draft(number)
    order.setdefault("status", "Ready to Ship")
    order["items"] = [item_from_row(row) for row in table_rows(datatable)]
    world.publish_orders()


@given(parsers.parse('InkSoft has an order "{number}" with'))
def inksoft_order_with(world: World, number: str, datatable) -> None:
    """Describes an order field by field (field, value; dotted paths); it is posted before the next action."""
    order = world.order_draft(number)
    order.setdefault("status", "Ready to Ship")
    for row in table_rows(datatable):
        set_dotted(order, row["field"], typed(row["field"], cell(row["value"])))
    if order.get("weight", {}).get("value", 0) is None:
        order["weight"] = None


@given(parsers.parse('the order "{number}" has the items'))
def order_has_items(world: World, number: str, datatable) -> None:
    """Gives the order being described these items."""
    world.order_draft(number)["items"] = [item_from_row(row) for row in table_rows(datatable)]


@given(
    parsers.re(
        r'InkSoft has an order "(?P<number>\d+)" with the (?P<which>customer notes|internal notes|gift message)$'
    )
)
def inksoft_order_with_text(world: World, number: str, which: str, docstring: str) -> None:
    """Adds an order whose customer notes, internal notes or gift message is the doc string."""
    order = world.order_draft(number)
    order.setdefault("status", "Ready to Ship")
    order[TEXT_FIELDS[which]] = world.texts[TEXT_FIELDS[which]] = docstring
    world.publish_orders()


@given(
    parsers.parse(
        'InkSoft has an order "{number}" with the same text as customer notes, internal notes and gift message'
    )
)
def inksoft_order_with_same_text(world: World, number: str, docstring: str) -> None:
    """Adds a gift order whose customer notes, internal notes and gift message are all the doc string."""
    order = world.order_draft(number)
    order.update(status="Ready to Ship", gift=True)
    for name in TEXT_FIELDS.values():
        order[name] = world.texts[name] = docstring
    world.publish_orders()


@given(
    parsers.parse('InkSoft has an order "{number}" with customer notes of {length:d} characters')
)
def inksoft_order_with_long_notes(world: World, number: str, length: int) -> None:
    """Adds an order whose customer notes are this many characters long."""
    pattern = "Print run notes: front 11in, back 3in, sleeve 'INK' & <gold> foil; "
    notes = (pattern * (length // len(pattern) + 1))[:length]
    order = world.order_draft(number)
    order.update(status="Ready to Ship", customer_notes=notes)
    world.texts["customer_notes"] = notes
    world.publish_orders()


@given(
    parsers.parse(
        'InkSoft has {count:d} orders generated with seed {seed:d}, all "{status}" with a shipping address'
    )
)
def generated_orders(world: World, count: int, seed: int, status: str) -> None:
    """Generates seeded orders in InkSoft, all in one status and with a shipping address."""
    world.inksoft.admin.generate_orders(count=count, seed=seed, status=status, with_ship_to=True)


@given(parsers.parse("InkSoft answers exports with {page_size:d} orders per page"))
def page_size(world: World, page_size: int) -> None:
    """Makes InkSoft page its exports at this many orders a page."""
    world.inksoft.admin.change_settings(page_size=page_size)


# --- Faults ----------------------------------------------------------------------------------

HOSTILE_EXPORT = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<!DOCTYPE Orders [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    '<Orders pages="1"><Order><OrderNumber>&xxe;&lol2;</OrderNumber></Order></Orders>'
)

# Well-formed XML of another kind (a gateway's SOAP fault), its root in a namespace.
SOAP_EXPORT = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>'
    "<faultcode>s:Server</faultcode><faultstring>Service unavailable</faultstring>"
    "</s:Fault></s:Body></s:Envelope>"
)


def fault_from(text: str) -> dict:
    """A fault as the feature files write it, as the control API's JSON."""
    match = re.fullmatch(r"(\d{3})(?: with Retry-After (\d+))?", text)
    if match:
        fault = {"type": "status", "status": int(match[1])}
        if match[2]:
            fault["retry_after"] = int(match[2])
        return fault
    match = re.fullmatch(r"after (\d+(?:\.\d+)?) seconds?", text)
    if match:
        return {"type": "delay", "seconds": float(match[1])}
    named = {
        "with a connection reset": {"type": "reset"},
        "with a truncated body": {"type": "truncated"},
        "with malformed XML": {"type": "malformed"},
        "with an empty body": {"type": "empty"},
        "with a DOCTYPE and entities": {"type": "status", "status": 200, "body": HOSTILE_EXPORT},
        "with a SOAP envelope instead of orders": {
            "type": "status",
            "status": 200,
            "body": SOAP_EXPORT,
        },
    }
    return named[text]


@given(parsers.re(r"InkSoft's next export answers (?P<fault>.+)$"))
def next_export_fault(world: World, fault: str) -> None:
    """Queues a fault for InkSoft's next export (a status like 503 with Retry-After 1, or a named fault)."""
    world.inksoft.admin.add_fault(action="export", times=1, **fault_from(fault))


@given(parsers.re(r"InkSoft's next shipment notice answers (?P<fault>.+)$"))
def next_notice_fault(world: World, fault: str) -> None:
    """Queues a fault for InkSoft's next shipment notice."""
    world.inksoft.admin.add_fault(action="shipnotify", times=1, **fault_from(fault))


@given(
    parsers.re(r"the connector waits at most (?P<seconds>[\d.]+) seconds? for an answer"),
    converters={"seconds": float},
)
def read_timeout(world: World, seconds: float) -> None:
    """Reopens the connector with this read timeout."""
    world.require("read-timeout")
    world.timeout = (5, seconds)
    world.open_connector()


BROKEN = {
    "a negative quantity": ("<Quantity>2</Quantity>", "<Quantity>-2</Quantity>"),
    "a quantity of 1000000": ("<Quantity>2</Quantity>", "<Quantity>1000000</Quantity>"),
    "a unit price of abc": ("<UnitPrice>18.00</UnitPrice>", "<UnitPrice>abc</UnitPrice>"),
    "an order date of 02/30/2026 10:00": (
        "<OrderDate>03/05/2026 14:22</OrderDate>",
        "<OrderDate>02/30/2026 10:00</OrderDate>",
    ),
    "no order number": ("<OrderNumber>{n}</OrderNumber>", ""),
    "an order total of 1e400": ("<OrderTotal>44.87</OrderTotal>", "<OrderTotal>1e400</OrderTotal>"),
    "an item weight of -6.1": ("<Weight>6.1</Weight>", "<Weight>-6.1</Weight>"),
    "no customer": (
        "<Customer><CustomerCode>jane@example.com</CustomerCode>"
        "<BillTo><Name>Jane Doe</Name></BillTo><ShipTo><Name>Jane Doe</Name>"
        "<Address1>12 Main St</Address1><City>Austin</City><State>TX</State>"
        "<PostalCode>78701</PostalCode><Country>US</Country></ShipTo></Customer>",
        "",
    ),
}

PAGE_ORDER = (
    "<Order><OrderID>{n}</OrderID><OrderNumber>{n}</OrderNumber>"
    "<OrderDate>03/05/2026 14:22</OrderDate><OrderStatus>Ready to Ship</OrderStatus>"
    "<LastModified>{modified}</LastModified><OrderTotal>44.87</OrderTotal>"
    "<Customer><CustomerCode>jane@example.com</CustomerCode>"
    "<BillTo><Name>Jane Doe</Name></BillTo><ShipTo><Name>Jane Doe</Name>"
    "<Address1>12 Main St</Address1><City>Austin</City><State>TX</State>"
    "<PostalCode>78701</PostalCode><Country>US</Country></ShipTo></Customer>"
    "<Items><Item><SKU>G500-NAVY-L</SKU><Name>Gildan 5000 Tee</Name>"
    "<Quantity>2</Quantity><UnitPrice>18.00</UnitPrice><Weight>6.1</Weight>"
    "<WeightUnits>Ounces</WeightUnits></Item></Items></Order>"
)


@given(
    parsers.re(
        r'InkSoft\'s next export is a page of the orders "(?P<numbers>[^"]+)" '
        r'where "(?P<broken>\d+)" has (?P<problem>.+)$'
    )
)
def page_with_broken_order(world: World, numbers: str, broken: str, problem: str) -> None:
    """Makes InkSoft's next export a page of these orders, one of them broken in the way named."""
    modified = datetime.now(timezone.utc).strftime("%m/%d/%Y %H:%M")
    orders = []
    for number in order_numbers(numbers):
        xml = PAGE_ORDER.replace("{modified}", modified)
        if number == broken:
            good, bad = BROKEN[problem]
            xml = xml.replace(good, bad)
        orders.append(xml.replace("{n}", number))
    body = (
        '<?xml version="1.0" encoding="utf-8"?><Orders pages="1">' + "".join(orders) + "</Orders>"
    )
    world.inksoft.admin.add_fault(action="export", times=1, type="status", status=200, body=body)


# --- gherkin14b: orders in the other account, free text with control characters -------------


@given(parsers.parse("InkSoft's default account {publisher_id:d} has an order modified just now"))
def order_in_default_account(world: World, publisher_id: int) -> None:
    """Adds an order to InkSoft's default account, last modified now."""
    world.inksoft.admin.add_orders(
        [{"publisher_id": publisher_id, "order_number": "990001", "status": "Ready to Ship"}]
    )


@given(
    parsers.re(
        r'InkSoft has an order "(?P<number>\d+)" whose (?P<which>customer notes|internal notes|'
        r'gift message) reads? "(?P<text>.*)"$'
    )
)
def inksoft_order_with_escaped_text(world: World, number: str, which: str, text: str) -> None:
    """Free text with control characters written as ``[CR]``, ``[LF]``, ``[TAB]``…"""
    order = world.order_draft(number)
    order.setdefault("status", "Ready to Ship")
    order[TEXT_FIELD_NAMES[which]] = unescape(text)
    world.publish_orders()


WEIGHED_ITEM = re.compile(r"(\d+) × ([0-9.]+) (Ounces|Pounds|Grams)")


@given("InkSoft has the orders to ship")
def orders_to_ship(world: World, datatable) -> None:
    """Orders ready to ship: requested service, ship-to, order weight (``(none)``: InkSoft
    sends none) and items written as ``2 × 6.1 Ounces, 1 × 100 Grams``."""
    for row in table_rows(datatable):
        number = row["order_number"]
        order = world.order_draft(number)
        order.update(status="Ready to Ship", shipping_method=row["requested service"])
        order["customer"] = {"ship_to": ship_to_from(row["ship to"])}
        if row["order weight"] == "(none)":
            order["weight"] = None
        else:
            value, units = row["order weight"].split()
            order["weight"] = {"value": float(value), "units": units}
        order["items"] = [
            {
                "sku": f"TEE-{number}-{index}",
                "name": f"Print-shop tee {index}",
                "quantity": int(quantity),
                "weight": float(weight),
                "weight_units": units,
                "unit_price": 18.0,
            }
            for index, (quantity, weight, units) in enumerate(
                WEIGHED_ITEM.findall(row["items"]), start=1
            )
        ]
        assert order["items"], f"write the items as '2 × 6.1 Ounces', not {row['items']!r}"
    world.publish_orders()


@given(
    parsers.re(r"InkSoft answers an empty window with (?P<answer>the quirk|a valid empty page)$")
)
def empty_window_answer(world: World, answer: str) -> None:
    """Sets how InkSoft answers an export window with no orders: the quirk (empty body) or a valid empty page."""
    world.inksoft.admin.change_settings(empty_export="quirk" if answer == "the quirk" else "valid")


# --- Section C: the window, several stores, amounts, the billing contact, lasting faults ---

LASTING = 1000
"""A lasting fault: more answers than any client retries, until InkSoft answers normally."""


@given("InkSoft's request log is empty")
def request_log_empty(world: World) -> None:
    """Empties InkSoft's request journal."""
    world.inksoft.admin.clear_requests()


@given(parsers.re(r"InkSoft's exports keep answering (?P<fault>.+)$"))
def exports_keep_failing(world: World, fault: str) -> None:
    """Makes every export answer with this fault until InkSoft answers normally again."""
    world.inksoft.admin.add_fault(action="export", times=LASTING, **fault_from(fault))


@given(parsers.re(r"InkSoft's export of page (?P<page>\d+) keeps answering (?P<fault>.+)$"))
def page_keeps_failing(world: World, page: str, fault: str) -> None:
    """Makes the export of one page answer with this fault until InkSoft answers normally again."""
    world.inksoft.admin.add_fault(
        action="export", page=int(page), times=LASTING, **fault_from(fault)
    )


@given(parsers.re(r"InkSoft's shipment notices keep answering (?P<fault>.+)$"))
def notices_keep_failing(world: World, fault: str) -> None:
    """Makes every shipment notice answer with this fault until InkSoft answers normally again."""
    world.inksoft.admin.add_fault(action="shipnotify", times=LASTING, **fault_from(fault))


@given(
    parsers.parse(
        'a connected store "{name}" for the InkSoft account {publisher_id:d} '
        'with username "{username}" and password "{password}"'
    )
)
def connected_store_of(
    world: World, name: str, publisher_id: int, username: str, password: str
) -> None:
    """Connects a store to another InkSoft account with these credentials."""
    world.store.connect(world.inksoft.url, username, password, publisher_id, name=name)


@given(parsers.parse("the InkSoft account {publisher_id:d} has the orders"))
def account_orders(world: World, publisher_id: int, datatable) -> None:
    """Adds orders to one InkSoft account, one a row (order_number, then fields)."""
    orders = []
    for row in table_rows(datatable):
        order: dict = {"publisher_id": publisher_id, "order_id": row["order_number"]}
        for column, raw in row.items():
            value = cell(raw)
            if column == "ship_to":
                order["customer"] = {"ship_to": ship_to_from(value)}
            elif column == "order_id":
                order["order_id"] = value
            else:
                set_dotted(order, column, typed(column, value))
        orders.append(order)
    world.inksoft.admin.add_orders(orders)


def amount(text: str) -> float | None:
    """A money cell: ``19.99``, or ``(none)`` when the export leaves the amount out."""
    return None if text == "(none)" else float(text)


@given("InkSoft has orders with the amounts")
def orders_with_amounts(world: World, datatable) -> None:
    """Adds Ready to Ship orders with these amounts, one a row (order, then amount columns)."""
    for row in table_rows(datatable):
        order = world.order_draft(row["order"])
        order["status"] = "Ready to Ship"
        for column, field_name in AMOUNT_FIELDS.items():
            order[field_name] = amount(row[column])
    world.publish_orders()


CONTACT_FIELDS = {
    "billing": {
        "name": "name",
        "company": "company",
        "phone": "phone",
        "e-mail": "email",
    },
    "shipping": {
        "name": "name",
        "company": "company",
        "phone": "phone",
        "street": "address1",
        "city": "city",
        "state": "state",
        "ZIP": "postal_code",
        "country": "country",
    },
}


@given(parsers.parse('InkSoft has an order "{number}" with the contacts'))
def order_with_contacts(world: World, number: str, datatable) -> None:
    """``| part | billing | shipping |``: the bill-to contact beside the ship-to address."""
    order = world.order_draft(number)
    order["status"] = "Ready to Ship"
    customer = order.setdefault("customer", {})
    bill_to: dict = {}
    ship_to: dict = {**ship_to_from("Austin, TX US"), "company": None, "phone": None}
    for row in table_rows(datatable):
        for side, target in (("billing", bill_to), ("shipping", ship_to)):
            if row[side] == "-":
                continue  # not a part of that side
            key = CONTACT_FIELDS[side][row["part"]]
            target[key] = None if row[side] == "(none)" else row[side]
    customer.update(bill_to=bill_to, ship_to=ship_to)
    world.publish_orders()


@given("the labels folder beside the connector's database cannot be written")
def labels_folder_unusable(world: World) -> None:
    """A file where the labels folder belongs: no label can be saved (as a read-only disk)."""
    (world.db_path.parent / "labels").write_text("not a folder\n")


# --- gherkin14c: InkSoft's request size limit -------------------------------------------------


@given(parsers.parse("InkSoft takes request bodies of at most {limit:d} bytes"))
def body_limit(world: World, limit: int) -> None:
    """Sets the largest request body InkSoft's store endpoint takes."""
    world.inksoft.admin.change_settings(max_body_bytes=limit)
