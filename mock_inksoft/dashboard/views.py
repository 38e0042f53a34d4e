"""The dashboard's view models: what a page shows of the state, as plain rows and text."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import unquote_plus

from lxml import etree

from mock_inksoft.catalog import STATUSES
from mock_inksoft.models import (
    Account,
    Address,
    Item,
    JournalEntry,
    Order,
    Shipment,
    ShipNotice,
)
from mock_inksoft.order_json import ADDRESS_FIELDS
from safexml import XmlError, parse_xml

ORDER_STATUSES = tuple(name for name, _ in STATUSES)
SUMMARY_LINES = 3
STATUS_TONES = {
    "Unauthorized": "payment",
    "Pending Approval": "payment",
    "Open": "awaiting",
    "Ready to Ship": "awaiting",
    "On Hold": "hold",
    "Shipped": "shipped",
    "Completed": "shipped",
    "Canceled": "cancelled",
    "Ready for Pick Up": "pickup",
}
FIELD_LABELS = {
    "count": "Count",
    "seed": "Seed",
    "status": "HTTP status",
    "type": "Type",
    "action": "Action",
    "times": "Times",
    "order_number": "Order number",
    "page": "Page",
    "retry_after": "Retry-After",
    "seconds": "Seconds",
    "body": "Body",
    "empty_export": "Empty export",
    "name": "Name",
    "company": "Company",
    "address1": "Address 1",
    "address2": "Address 2",
    "city": "City",
    "state": "State",
    "postal_code": "Postal code",
    "country": "Country",
    "phone": "Phone",
    "email": "E-mail",
}


@dataclass(frozen=True)
class Pager:
    """Page ``number`` (from 1) of a list shown ``size`` items a page; ``?{parameter}=`` asks
    for it. ``total`` is how many items the list has, once known (:meth:`of`)."""

    parameter: str
    number: int
    size: int
    total: int = 0

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    def of(self, total: int) -> Pager:
        return replace(self, total=total)


@dataclass(frozen=True)
class UserRow:
    username: str
    permissions: list[str]


@dataclass(frozen=True)
class AccountRow:
    publisher_id: int
    active: bool
    users: list[UserRow]


@dataclass(frozen=True)
class OrderRow:
    order_id: str
    order_number: str
    status: str
    tone: str
    last_modified: str
    customer: str
    email: str
    ship_to: str
    items: int
    summary: list[str]
    more: int


@dataclass(frozen=True)
class ItemRow:
    line_item_id: str
    sku: str
    name: str
    options: str
    quantity: int
    unit_price: str
    weight: str
    location: str
    image_url: str
    kind: str  # "to ship", "shipped" or "adjustment"


@dataclass(frozen=True)
class ShipmentRow:
    index: int
    order_id: str
    order_number: str
    carrier: str
    service: str
    tracking_number: str
    fee: str
    notes: str
    received_at: str
    duplicates: int


@dataclass(frozen=True)
class JournalRow:
    id: int
    time: str
    method: str
    target: str
    action: str
    username: str
    status: str
    tone: str
    fault: str
    code: str
    warnings: int


def when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def money(amount: float | None) -> str:
    return "—" if amount is None else f"{amount:.2f}"


def account_rows(accounts: list[Account]) -> list[AccountRow]:
    """The accounts with their users' names and permissions, never their passwords."""
    return [
        AccountRow(
            account.publisher_id,
            account.active,
            [UserRow(user.username, list(user.permissions)) for user in account.users],
        )
        for account in sorted(accounts, key=lambda a: a.publisher_id)
    ]


def item_summary(item: Item) -> str:
    """``2 × Eagles Front Logo · Navy · L``: design, colour and size, else the item's name."""
    options = {option.name: option.value for option in item.options}
    parts = [options[name] for name in ("Design", "Color", "Size") if name in options]
    return f"{item.quantity} × {' · '.join(parts) if parts else item.name}"


def order_row(order: Order) -> OrderRow:
    goods = [item for item in order.items if not item.adjustment]
    ship_to = order.customer.ship_to
    summary = [item_summary(item) for item in goods]
    return OrderRow(
        order_id=order.order_id,
        order_number=order.order_number,
        status=order.status,
        tone=STATUS_TONES.get(order.status, "other"),
        last_modified=when(order.last_modified),
        customer=order.customer.bill_to.name,
        email=order.customer.email,
        ship_to="no shipping address" if ship_to is None else f"{ship_to.city}, {ship_to.country}",
        items=sum(item.quantity for item in goods),
        summary=summary[:SUMMARY_LINES],
        more=max(0, len(summary) - SUMMARY_LINES),
    )


def status_choices(held: dict[str, int]) -> list[tuple[str, int]]:
    """Every status the filter offers, with how many orders hold it: the catalogue's, then any
    other status an order was given."""
    counts: dict[str, int] = dict.fromkeys(ORDER_STATUSES, 0)
    counts.update(held)
    return list(counts.items())


def shipment_row(index: int, shipment: Shipment, journalled: int) -> ShipmentRow:
    """The ``index``-th notice applied; ``journalled`` is how many accepted requests the
    journal still holds for its order and tracking number (the retries are the others)."""
    notice = shipment.notice
    return ShipmentRow(
        index=index,
        order_id=shipment.order_id,
        order_number=shipment.order_number,
        carrier=notice.carrier,
        service=notice.service,
        tracking_number=notice.tracking_number,
        fee=money(notice.shipping_cost),
        notes=notice.notes_to_customer or "",
        received_at=when(shipment.received_at),
        duplicates=max(0, journalled - 1),
    )


def journal_row(entry: JournalEntry) -> JournalRow:
    if entry.status is None:
        status, tone = "reset", "error"
    else:
        status, tone = str(entry.status), "ok" if entry.status < 400 else "error"
    return JournalRow(
        id=entry.id,
        time=when(entry.time),
        method=entry.method,
        target=entry.path + (f"?{unquote_plus(entry.query)}" if entry.query else ""),
        action=entry.action or "",
        username=entry.username or "",
        status=status,
        tone=tone,
        fault=entry.fault or "",
        code=entry.code or "",
        warnings=len(entry.warnings),
    )


def request_fields(entry: JournalEntry) -> list[tuple[str, str]]:
    """What the journal knows of a request besides its body and notice, as label and text."""
    return [
        ("Received", when(entry.time)),
        ("Method", entry.method),
        ("Path", entry.path),
        ("Query", unquote_plus(entry.query) or "—"),
        ("Action", entry.action or "—"),
        ("User", entry.username or "—"),
        ("Credentials", {"basic": "HTTP Basic", "query": "query parameters",
                         "header": "headers"}.get(entry.auth or "", "none")),
        ("Status", "connection reset" if entry.status is None else str(entry.status)),
        ("Fault injected", entry.fault or "—"),
        ("Body", f"{entry.body_bytes} bytes" if entry.body_bytes else "none"),
    ]  # fmt: skip


def notice_fields(notice: ShipNotice) -> list[tuple[str, str]]:
    """A shipment notice's parsed fields, as label and text."""
    items = notice.items
    return [
        ("OrderID (body)", notice.order_id or "—"),
        ("OrderNumber (body)", notice.body_order_number or "—"),
        ("Order number used", notice.order_number or "—"),
        ("Carrier", notice.carrier),
        ("Service", notice.service or "—"),
        ("Tracking number", notice.tracking_number),
        ("Carrier fee", money(notice.shipping_cost)),
        ("Ship date", "—" if notice.ship_date is None else notice.ship_date.isoformat()),
        ("Notify customer", "—" if notice.notify_customer is None else str(notice.notify_customer)),
        ("Notes to buyer", notice.notes_to_customer or "—"),
        ("Items", "the whole order" if items is None else ", ".join(
            item.line_item_id or item.sku or "?" for item in items)),
    ]  # fmt: skip


def pretty_xml(raw: str) -> str | None:
    """``raw`` re-indented for reading (None when it is not XML the hardened parser takes)."""
    try:
        root = parse_xml(raw.encode("utf-8"))
    except XmlError:
        return None
    etree.indent(root)
    return etree.tostring(root, encoding="unicode")


def labelled(record: object, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """``record``'s fields ``names`` as label and text (``—`` for an empty one)."""
    return [(FIELD_LABELS.get(name, name), getattr(record, name) or "—") for name in names]


def address_fields(address: Address | None) -> list[tuple[str, str]]:
    if address is None:
        return [("Address", "none: the order is exported without a shipping address")]
    return labelled(address, ADDRESS_FIELDS)


def item_rows(items: list[Item]) -> list[ItemRow]:
    return [
        ItemRow(
            line_item_id=item.line_item_id or "—",
            sku=item.sku,
            name=item.name,
            options=", ".join(f"{o.name}: {o.value}" for o in item.options) or "—",
            quantity=item.quantity,
            unit_price=money(item.unit_price),
            weight="—" if item.weight is None else f"{item.weight:g} {item.weight_units}",
            location=item.location or "—",
            image_url=item.image_url or "",
            kind="adjustment" if item.adjustment else ("shipped" if item.shipped else "to ship"),
        )
        for item in items
    ]


def order_fields(order: Order) -> list[tuple[str, str]]:
    """Every order-level field, as label and text."""
    weight = order.weight
    return [
        ("Publisher ID", str(order.publisher_id)),
        ("Order ID", order.order_id),
        ("Order number", order.order_number),
        ("Status", order.status),
        ("Order date", when(order.order_date)),
        ("Last modified", when(order.last_modified)),
        ("Shipping method", order.shipping_method or "—"),
        ("Payment method", order.payment_method or "—"),
        ("Order total", money(order.order_total)),
        ("Tax", money(order.tax_amount)),
        ("Shipping", money(order.shipping_amount)),
        ("Customer notes", order.customer_notes or "—"),
        ("Internal notes", order.internal_notes or "—"),
        ("Gift", "—" if order.gift is None else ("yes" if order.gift else "no")),
        ("Gift message", order.gift_message or "—"),
        ("Coupon codes", ", ".join(order.coupon_codes) or "—"),
        ("Weight", "—" if weight is None else f"{weight.value:g} {weight.units}"),
        ("Customer e-mail", order.customer.email),
    ]
