"""Reading export answers as a store checker must: without trusting them.

Independent of both the mock and the connector: the checker keeps its own small reading of
the Custom Store export (order identity, status, dates), enough to judge the wire.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache
from pathlib import Path

from lxml import etree

from inksoft_testkit.storecheck.client import Exchange
from safexml import XmlError, parse_xml

# ShipStation's schema, shipped with the package (a copy of fixtures/'s, which a test compares)
XSD_PATH = Path(__file__).with_name("shipstation-custom-store.xsd")
BOM = b"\xef\xbb\xbf"
_DATETIME = re.compile(
    r"\s*(\d{1,2})/(\d{1,2})/(\d{4})[\sT]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?\s*([AaPp][Mm])?\s*"
)


def parse_store_datetime(text: str | None) -> datetime | None:
    """``MM/dd/yyyy HH:mm`` (one-digit parts, seconds, AM/PM accepted) in UTC, or None."""
    match = _DATETIME.fullmatch(text or "")
    if not match:
        return None
    month, day, year, hour, minute, second, meridiem = match.groups()
    hour_of_day = int(hour)
    if meridiem:
        hour_of_day = hour_of_day % 12 + (12 if meridiem[0] in "Pp" else 0)
    try:
        return datetime(
            int(year), int(month), int(day), hour_of_day, int(minute), int(second or 0),
            tzinfo=timezone.utc,
        )  # fmt: skip
    except ValueError:
        return None


def to_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


@dataclass
class OrderView:
    """What the checker needs of one exported order."""

    key: str  # OrderID, else OrderNumber: the identity paging is judged on
    order_id: str | None
    number: str
    status: str
    order_date: datetime | None
    last_modified: datetime | None
    element: etree._Element = field(repr=False)

    @classmethod
    def of(cls, element: etree._Element) -> OrderView:
        def text(name: str) -> str:
            return (element.findtext(name) or "").strip()

        order_id, number = text("OrderID"), text("OrderNumber")
        return cls(
            key=order_id or number,
            order_id=order_id or None,
            number=number,
            status=element.findtext("OrderStatus") or "",
            order_date=parse_store_datetime(text("OrderDate")),
            last_modified=parse_store_datetime(text("LastModified")),
            element=element,
        )

    def label(self) -> str:
        if self.order_id and self.order_id != self.number:
            return f"order {self.number} (OrderID {self.order_id})"
        return f"order {self.number or self.key}"


@dataclass
class PageRead:
    """One export answer, read: ``kind`` is ``ok``, ``empty`` (a 200 with no body, InkSoft's
    answer to an empty window), ``refused`` (not a 200), ``stray`` (something other than XML
    first: a BOM, a notice, an HTML page) or ``malformed`` (XML that does not parse)."""

    page: int
    exchange: Exchange
    kind: str
    orders: list[OrderView] = field(default_factory=list)
    pages: int | None = None
    pages_text: str | None = None  # the attribute as written, when present
    problem: str = ""

    @property
    def readable(self) -> bool:
        return self.kind in ("ok", "empty")


HTML_START = re.compile(rb"\s*<(!doctype\s+html|html)\b", re.I)


def stray_output(body: bytes) -> str | None:
    """What stands before the XML, if anything does."""
    if body.startswith(BOM):
        return "a byte-order mark before the XML declaration"
    if HTML_START.match(body):
        return "an HTML page instead of XML"
    if not body.startswith(b"<"):
        first = body.split(b"<", 1)[0][:80].decode("utf-8", errors="replace")
        return f"stray output before the XML: {first!r}"
    return None


def read_page(page: int, exchange: Exchange) -> PageRead:
    if exchange.status != 200:
        return PageRead(page, exchange, "refused", problem=exchange.describe(120))
    if not exchange.body:
        return PageRead(page, exchange, "empty")
    stray = stray_output(exchange.body)
    if stray:
        return PageRead(page, exchange, "stray", problem=stray)
    try:
        root = parse_xml(exchange.body)
    except XmlError as exc:
        return PageRead(page, exchange, "malformed", problem=str(exc))
    if root.tag != "Orders":
        return PageRead(page, exchange, "malformed", problem=f"the root is <{root.tag}>")
    pages_text = root.get("pages")
    pages = int(pages_text) if pages_text and pages_text.strip().isdigit() else None
    orders = [OrderView.of(element) for element in root.findall("Order")]
    return PageRead(page, exchange, "ok", orders, pages, pages_text)


@cache
def custom_store_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_PATH)))


def schema_errors(order: etree._Element) -> list[str]:
    """ShipStation's XSD errors of one order, with InkSoft's order-level Weight and
    WeightUnits (a documented extension) taken out first."""
    copy = etree.fromstring(etree.tostring(order))
    for name in ("Weight", "WeightUnits"):
        for extension in copy.findall(name):
            copy.remove(extension)
    wrapper = etree.Element("Orders")
    wrapper.append(copy)
    schema = custom_store_schema()
    if schema.validate(wrapper):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def lacks_shipping_address(order: etree._Element) -> bool:
    """Sent with a ShipTo that holds a name but no address: the protocol's one XSD exception."""
    ship_to = order.find("Customer/ShipTo")
    if ship_to is None:
        return False
    return all(
        not (ship_to.findtext(name) or "").strip()
        for name in ("Address1", "City", "PostalCode", "Country")
    )
