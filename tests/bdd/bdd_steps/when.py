"""When: what ShipStation (the connector, or a bare protocol client) does."""

from __future__ import annotations

import time
from datetime import datetime

import requests
from pytest_bdd import given, parsers, when

from bdd_steps.world import World, cell, order_numbers, table_rows, typed
from inksoft_testkit.drivers import ConnectorRefused

CREDENTIAL_FORMS = {"HTTP Basic", "query parameters", "request headers"}


# --- Through the connector -------------------------------------------------------------------


@when(
    parsers.parse(
        'I connect the store "{name}" with username "{username}", password "{password}" '
        'and Publisher ID "{publisher_id}"'
    )
)
def connect(world: World, name: str, username: str, password: str, publisher_id: str) -> None:
    """Connects a store through the connector with these credentials."""
    world.store.connect(world.inksoft.url, username, password, publisher_id, name=name)


@when(
    parsers.re(
        r'I try to connect the store "(?P<name>[^"]*)" with username "(?P<username>[^"]*)", '
        r'password "(?P<password>[^"]*)" and Publisher ID "(?P<publisher_id>[^"]*)"'
    )
)
def try_connect(world: World, name: str, username: str, password: str, publisher_id: str) -> None:
    """Tries to connect a store and expects a refusal (kept for the Then steps); empty cells send nothing."""
    world.inksoft.admin.clear_requests()
    try:
        world.store.connect(
            world.inksoft.url,
            cell(username) or "",
            cell(password) or "",
            cell(publisher_id) or "",
            name=name,
        )
    except ConnectorRefused as exc:
        world.error = exc
    else:
        raise AssertionError("the connection was accepted")


@given("I change the store settings")
@when("I change the store settings")
def change_settings(world: World, datatable) -> None:
    """Changes store settings (setting, value) through the connector."""
    world.change_settings(table_rows(datatable))


@when(parsers.parse('I try to change the store setting "{key}" to "{value}"'))
def try_change_setting(world: World, key: str, value: str) -> None:
    """Tries to change one store setting and expects a refusal."""
    try:
        world.store.update_settings([f"{key}={value}"])
    except ConnectorRefused as exc:
        world.error = exc
    else:
        raise AssertionError("the change was accepted")


@when("I reopen the connector")
def reopen(world: World) -> None:
    """Closes and reopens the connector on the same database."""
    world.open_connector()


@given("I import orders")
@when("I import orders")
def import_orders(world: World) -> None:
    """Posts the orders being described, then refreshes the store (imports from InkSoft)."""
    world.publish_orders()
    started, waited = time.monotonic(), world.waits.seconds()
    world.summary = world.store.refresh()
    # the connector's time: real time, and the waits the suite recorded instead of sleeping
    world.refresh_seconds = time.monotonic() - started + world.waits.seconds() - waited


@when(parsers.parse('InkSoft changes the order "{number}"'))
def inksoft_changes_order(world: World, number: str, datatable) -> None:
    """Changes fields of an order in InkSoft (field, value), as a later edit there."""
    changes = {
        row["field"]: typed(row["field"], cell(row["value"])) for row in table_rows(datatable)
    }
    world.inksoft.admin.change_order(number, changes)


@when("I create labels for all orders awaiting shipment")
def ship_all(world: World) -> None:
    """Creates labels for every order awaiting shipment."""
    world.ship_results = world.store.ship()


@given(parsers.parse('I create labels for the orders "{numbers}"'))
@when(parsers.parse('I create labels for the orders "{numbers}"'))
def ship_orders(world: World, numbers: str) -> None:
    """Creates labels for these orders."""
    world.ship_results = world.store.ship(order_numbers(numbers))


@when(parsers.parse('I create labels for the orders "{numbers}" with the notes to the buyer'))
def ship_with_notes(world: World, numbers: str, docstring: str) -> None:
    """Creates labels for these orders with the doc string as the notes to the buyer."""
    world.texts["notes_to_buyer"] = docstring
    world.ship_results = world.store.ship(order_numbers(numbers), notes_to_buyer=docstring)


@when(parsers.parse('the carrier reports the order "{number}" delivered'))
def delivered(world: World, number: str) -> None:
    """Reports the order delivered by the carrier; the connector's answer is kept."""
    world.require("delivery")
    world.deliveries.append(world.store.deliver(number))


# --- Through a bare protocol client ----------------------------------------------------------


@when(
    parsers.parse(
        'ShipStation asks for an export with the credentials "{username}" / "{password}" as {form}'
    )
)
def raw_export(world: World, username: str, password: str, form: str) -> None:
    """Asks InkSoft for an export over the wire, with credentials as HTTP Basic, query parameters or request headers."""
    assert form in CREDENTIAL_FORMS, f"credentials go as one of {sorted(CREDENTIAL_FORMS)}"
    params = {
        "action": "export",
        "start_date": "01/01/2000 00:00",
        "end_date": "12/31/2099 23:59",
    }
    auth, headers = None, {}
    if form == "HTTP Basic":
        auth = (username, password)
    elif form == "query parameters":
        params.update({"SS-UserName": username, "SS-Password": password})
    else:
        headers = {"SS-UserName": username, "SS-Password": password}
    world.wire_responses.append(
        requests.get(
            world.inksoft.endpoint(), params=params, auth=auth, headers=headers, timeout=10
        )
    )


def ship_notice(
    number: str,
    carrier: str,
    tracking: str,
    line_items: list[str] | None,
    order_id: str | None = None,
    line_tag: str = "LineItemID",
) -> bytes:
    """A ``<ShipNotice>`` body; ``order_id`` None leaves ``OrderID`` out."""
    items = ""
    if line_items is not None:
        items = (
            "<Items>"
            + "".join(f"<Item><{line_tag}>{line}</{line_tag}></Item>" for line in line_items)
            + "</Items>"
        )
    order_id_element = "" if order_id is None else f"<OrderID>{order_id}</OrderID>"
    return (
        '<?xml version="1.0" encoding="utf-8"?><ShipNotice>'
        f"<OrderNumber>{number}</OrderNumber>{order_id_element}"
        "<CustomerCode>jane@example.com</CustomerCode><NotifyCustomer>false</NotifyCustomer>"
        "<LabelCreateDate>03/07/2026 16:05</LabelCreateDate><ShipDate>03/07/2026</ShipDate>"
        f"<Carrier>{carrier}</Carrier><Service></Service><TrackingNumber>{tracking}</TrackingNumber>"
        f"<ShippingCost>9.42</ShippingCost>{items}</ShipNotice>"
    ).encode()


def post_notice(world: World, number: str, carrier: str, tracking: str, body: bytes) -> None:
    world.wire_responses.append(
        requests.post(
            world.inksoft.endpoint(),
            params={
                "action": "shipnotify",
                "order_number": number,
                "carrier": carrier,
                "service": "",
                "tracking_number": tracking,
            },
            data=body,
            auth=(world.inksoft.account.username, world.inksoft.account.password),
            headers={"Content-Type": "application/xml"},
            timeout=10,
        )
    )


@when(
    parsers.re(
        r'ShipStation sends a shipment notice for order "(?P<number>\d+)" with carrier '
        r'"(?P<carrier>[^"]+)" and tracking number "(?P<tracking>[^"]+)"'
        r'(?: for the items "(?P<lines>[^"]+)")?$'
    )
)
def raw_notice(world: World, number: str, carrier: str, tracking: str, lines: str | None) -> None:
    """Posts a shipment notice over the wire, optionally for some line items only."""
    line_items = order_numbers(lines) if lines else None
    order_id = world.inksoft.admin.order(number)["order_id"]
    post_notice(
        world,
        number,
        carrier,
        tracking,
        ship_notice(number, carrier, tracking, line_items, order_id=order_id),
    )


BAD_NOTICES = {
    'for the unknown order "7777"': (
        "7777",
        ship_notice("7777", "UPS", "1Z999AA10123456784", None, order_id="7777"),
    ),
    'for the unknown order "5931A"': (
        "5931A",
        ship_notice("5931A", "UPS", "1Z999AA10123456784", None, order_id="5931A"),
    ),
    "whose body is not well-formed XML": ("5931", b"<ShipNotice><OrderID>5931</OrderID>"),
    "whose body declares a DOCTYPE and entity": (
        "5931",
        b'<?xml version="1.0"?><!DOCTYPE ShipNotice [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<ShipNotice><OrderID>5931</OrderID><Carrier>&x;</Carrier></ShipNotice>",
    ),
    "whose body is JSON": ("5931", b'{"OrderNumber": "5931", "Carrier": "UPS"}'),
    "whose body lists a second item the order lacks": (
        "5931",
        ship_notice("5931", "UPS", "1Z999AA10123456784", ["5931-1", "5931-9"], order_id=None),
    ),
    "whose body is over 2000 bytes": (
        "5931",
        ship_notice("5931", "UPS", "1Z999AA10123456784", None, order_id=None).replace(
            b"</ShipNotice>",
            b"<NotesToCustomer>" + b"x" * 2000 + b"</NotesToCustomer></ShipNotice>",
        ),
    ),
    "whose body lists a second item with neither line nor SKU": (
        "5931",
        ship_notice("5931", "UPS", "1Z999AA10123456784", ["5931-1"], order_id=None).replace(
            b"</Item></Items>", b"</Item><Item><Name>Cap</Name></Item></Items>"
        ),
    ),
}


@when(
    parsers.re(
        r'ShipStation sends a shipment notice (?P<problem>for the unknown order "[^"]+"|whose body .+)$'
    )
)
def raw_bad_notice(world: World, problem: str) -> None:
    """Posts a shipment notice over the wire that InkSoft must refuse (unknown order, bad XML, DOCTYPE)."""
    number, body = BAD_NOTICES[problem]
    post_notice(world, number, "UPS", "1Z999AA10123456784", body)


@when("I retry the queued shipment updates")
def retry_updates(world: World) -> None:
    """Retries the shipment updates the connector has queued."""
    world.notice_results = world.store.retry_notifications()


# --- gherkin14b: the bare protocol client, window by window and request by request -----------


def wire_date(iso: str) -> str:
    """``2026-03-06T12:00:00Z`` as the wire writes it, ``03/06/2026 12:00``."""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return moment.strftime("%m/%d/%Y %H:%M")


@when(
    parsers.re(
        r'ShipStation asks for the export from "(?P<start>[^"]+)" to "(?P<end>[^"]+)"'
        r"(?: page (?P<page>\d+))?$"
    )
)
def raw_export_window(world: World, start: str, end: str, page: str | None) -> None:
    """Asks InkSoft over the wire for the export of this window (and page), as ShipStation does."""
    params = {"action": "export", "start_date": wire_date(start), "end_date": wire_date(end)}
    if page:
        params["page"] = page
    world.wire_responses.append(
        requests.get(
            world.inksoft.endpoint(), params=params, auth=("demo", "demo-password"), timeout=10
        )
    )


WINDOW = {"start_date": "01/01/2000 00:00", "end_date": "12/31/2099 23:59"}
WIRE_REQUESTS = {
    # what ShipStation sends: (method, Publisher ID, credentials, query)
    "an export without credentials": ("GET", 10001, None, {"action": "export", **WINDOW}),
    "an export for a Publisher ID no account has": (
        "GET",
        99999,
        ("demo", "demo-password"),
        {"action": "export", **WINDOW},
    ),
    "an export for an inactive account": (
        "GET",
        30003,
        ("ops", "s3cret-Pass"),
        {"action": "export", **WINDOW},
    ),
    "an export by a user without the fulfilment permission": (
        "GET",
        20002,
        ("viewer", "v1ewer-Pass"),
        {"action": "export", **WINDOW},
    ),
    "a request without an action": ("GET", 10001, ("demo", "demo-password"), WINDOW),
    "a request with an unknown action": (
        "GET",
        10001,
        ("demo", "demo-password"),
        {"action": "import", **WINDOW},
    ),
    "an export without an end date": (
        "GET",
        10001,
        ("demo", "demo-password"),
        {"action": "export", "start_date": WINDOW["start_date"]},
    ),
    "an export with an unreadable start date": (
        "GET",
        10001,
        ("demo", "demo-password"),
        {"action": "export", "start_date": "yesterday", "end_date": WINDOW["end_date"]},
    ),
    "an export of page 0": (
        "GET",
        10001,
        ("demo", "demo-password"),
        {"action": "export", "page": "0", **WINDOW},
    ),
    "an export sent as a POST": ("POST", 10001, ("demo", "demo-password"), {"action": "export"}),
    "a shipment notice sent as a GET": (
        "GET",
        10001,
        ("demo", "demo-password"),
        {"action": "shipnotify", "order_number": "5931"},
    ),
}


@when(parsers.re(r"ShipStation sends (?P<what>an? .+) on the wire$"))
def raw_request(world: World, what: str) -> None:
    """Sends InkSoft a hand-made request over the wire (a malformed notice, a wrong action, …)."""
    method, publisher_id, auth, params = WIRE_REQUESTS[what]
    world.wire_responses.append(
        requests.request(
            method, world.inksoft.endpoint(publisher_id), params=params, auth=auth, timeout=10
        )
    )


@when(
    parsers.re(
        r'ShipStation sends a shipment notice whose OrderID is the ID of order "(?P<by_id>\d+)" '
        r'and whose order number is "(?P<number>\d+)"$'
    )
)
def raw_notice_id_and_number(world: World, by_id: str, number: str) -> None:
    """Posts a shipment notice whose OrderID and order number name two different orders."""
    known = {o["order_number"]: o["order_id"] for o in world.inksoft.admin.orders()}
    order_id = known.get(by_id, by_id)  # an order InkSoft lacks: its number as the ID
    body = ship_notice(number, "UPS", "1Z999AA10123456784", None, order_id=order_id)
    post_notice(world, number, "UPS", "1Z999AA10123456784", body)


@when(
    parsers.re(
        r'ShipStation sends a shipment notice without an OrderID for the order number "(?P<number>\d+)"$'
    )
)
def raw_notice_by_number(world: World, number: str) -> None:
    """Posts a shipment notice that names its order by number only."""
    body = ship_notice(number, "UPS", "1Z999AA10123456784", None, order_id=None)
    post_notice(world, number, "UPS", "1Z999AA10123456784", body)


@when(
    parsers.re(
        r'ShipStation sends a shipment notice for order "(?P<number>\d+)" with carrier '
        r'"(?P<carrier>[^"]+)" and tracking number "(?P<tracking>[^"]+)" for the SKUs "(?P<skus>[^"]+)"$'
    )
)
def raw_notice_by_sku(world: World, number: str, carrier: str, tracking: str, skus: str) -> None:
    """Posts a shipment notice listing its items by SKU."""
    order_id = world.inksoft.admin.order(number)["order_id"]
    body = ship_notice(
        number, carrier, tracking, order_numbers(skus), order_id=order_id, line_tag="SKU"
    )
    post_notice(world, number, carrier, tracking, body)


# --- Section C: the clock, several stores, recovery, the labels folder -----------------------


@given("InkSoft answers normally again")
@when("InkSoft answers normally again")
def inksoft_recovers(world: World) -> None:
    """Clears every queued or lasting fault: InkSoft answers normally."""
    world.inksoft.admin.clear_faults()


@when("the labels folder beside the connector's database can be written again")
def labels_folder_usable(world: World) -> None:
    """Removes what blocked the labels folder beside the database."""
    (world.db_path.parent / "labels").unlink()


@given(parsers.parse('I import orders for "{store}"'))
@when(parsers.parse('I import orders for "{store}"'))
def import_orders_for(world: World, store: str) -> None:
    """Posts the orders being described, then refreshes the named store."""
    world.publish_orders()
    world.summary = world.store.refresh(store)


@given(parsers.parse('I create labels for the orders "{numbers}" of "{store}"'))
@when(parsers.parse('I create labels for the orders "{numbers}" of "{store}"'))
def ship_orders_of(world: World, numbers: str, store: str) -> None:
    """Creates labels for these orders of the named store."""
    world.ship_results = world.store.ship(order_numbers(numbers), store=store)


@when(parsers.parse('I change the settings of "{store}"'))
def change_settings_of(world: World, store: str, datatable) -> None:
    """Changes the named store's settings (setting, value)."""
    world.change_settings(table_rows(datatable), store=store)


@when(parsers.parse('I retry the queued shipment updates of "{store}"'))
def retry_updates_of(world: World, store: str) -> None:
    """Retries the named store's queued shipment updates."""
    world.notice_results = world.store.retry_notifications(store=store)


UNNAMED_COMMANDS = {
    "import orders": lambda store: store.refresh(),
    "create labels for all orders awaiting shipment": lambda store: store.ship(),
    "list the orders": lambda store: store.orders(),
    "change the settings": lambda store: store.update_settings(["branding.name=Guessed"]),
    "retry the queued shipment updates": lambda store: store.retry_notifications(),
}


@when(parsers.parse("I try to {command} without naming a store"))
def unnamed_command(world: World, command: str) -> None:
    """Tries a command without naming a store while several are connected, and expects a refusal."""
    world.inksoft.admin.clear_requests()
    try:
        UNNAMED_COMMANDS[command](world.store)
    except ConnectorRefused as exc:
        world.error = exc
    else:
        raise AssertionError(f"the connector did {command} without being told which store")


@when(parsers.parse('InkSoft changes the ZIP code of order "{number}" to "{postal_code}"'))
def inksoft_changes_zip(world: World, number: str, postal_code: str) -> None:
    """Changes the ZIP code of an order's ship-to address in InkSoft."""
    world.inksoft.admin.change_order(
        number, {"customer": {"ship_to": {"postal_code": postal_code}}}
    )


@when(
    parsers.parse(
        "ShipStation sends the account {publisher_id:d} a shipment notice for the order "
        '"{number}" of the account {owner:d}'
    )
)
def notice_to_another_account(world: World, publisher_id: int, number: str, owner: int) -> None:
    """Posts over the wire, to one account, a shipment notice for an order of another account."""
    [order] = [
        o
        for o in world.inksoft.admin.orders()
        if o["order_number"] == number and int(o["publisher_id"]) == owner
    ]
    body = ship_notice(number, "UPS", "1Z999AA10123456784", None, order_id=order["order_id"])
    world.wire_responses.append(
        requests.post(
            world.inksoft.endpoint(publisher_id),
            params={"action": "shipnotify", "order_number": number, "carrier": "UPS"},
            data=body,
            auth=("demo", "demo-password"),
            headers={"Content-Type": "application/xml"},
            timeout=10,
        )
    )


# --- gherkin14c: notices whose query and body disagree ----------------------------------------


@when(
    parsers.re(
        r"ShipStation sends a shipment notice without an OrderID whose body names order "
        r'"(?P<named>[^"]*)" for the order number "(?P<number>\d+)"$'
    )
)
def raw_notice_body_names(world: World, named: str, number: str) -> None:
    """The query's ``order_number`` is ``number``; the body's ``OrderNumber`` is ``named``
    (left out when empty)."""
    body = ship_notice(named, "UPS", "1Z999AA10123456784", None, order_id=None)
    if not named:
        body = body.replace(b"<OrderNumber></OrderNumber>", b"")
    post_notice(world, number, "UPS", "1Z999AA10123456784", body)
