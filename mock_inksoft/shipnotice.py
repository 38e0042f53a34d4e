"""Reading a ``<ShipNotice>`` body (with the hardened parser) into a :class:`ShipNotice`."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TypeVar

from lxml import etree

from mock_inksoft.dates import parse_feed_date, parse_feed_datetime
from mock_inksoft.models import Address, NoticeItem, ShipNotice
from safexml import UnsafeXmlError, XmlSyntaxError, parse_xml

T = TypeVar("T")

MALFORMED_XML = "MalformedXml"
INVALID_REQUEST = "InvalidRequest"


class NoticeError(ValueError):
    """A notice refused: ``code`` is ``MalformedXml`` or ``InvalidRequest``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _invalid(message: str) -> NoticeError:
    return NoticeError(INVALID_REQUEST, message)


SHIP_NOTICE_HINT = (
    "send a <ShipNotice> XML document as the body (Content-Type: application/xml), "
    "as docs/protocol.md shows"
)
# The query parameters that repeat an element of the body: both given and different is refused.
REPEATED_IN_QUERY = (
    ("carrier", "Carrier", str.casefold),
    ("service", "Service", str.casefold),
    ("tracking_number", "TrackingNumber", str),
)


def read_ship_notice(body: bytes, query: Mapping[str, str]) -> ShipNotice:
    """The notice in ``body``.

    The order is found by the body's ``OrderID`` when present, else by the query's
    ``order_number`` (else the body's ``OrderNumber``). The query's ``carrier``, ``service`` and
    ``tracking_number`` stand in for elements the body leaves out or empty; a query value and a
    body element that are both given must agree (carrier and service in any case).
    """
    root = _parse(body)
    if root.tag != "ShipNotice":
        raise _invalid(
            f"The body's root element is <{root.tag[:50]}>, not <ShipNotice>: {SHIP_NOTICE_HINT}."
        )
    notice = _Elements(root)
    _check_agreement(notice, query)
    order_id = notice.token("OrderID")
    body_order_number = notice.token("OrderNumber")
    order_number = query.get("order_number", "").strip() or body_order_number
    if not order_id and not order_number:
        raise _invalid(
            "The shipment notice names no order: send the body's <OrderID> (or <OrderNumber>), "
            "or the order_number query parameter."
        )
    return ShipNotice(
        order_id=order_id,
        order_number=order_number,
        customer_code=notice.text("CustomerCode"),
        notes_to_customer=notice.text("NotesToCustomer"),
        notify_customer=notice.boolean("NotifyCustomer"),
        label_create_date=notice.parsed("LabelCreateDate", parse_feed_datetime),
        ship_date=notice.parsed("ShipDate", parse_feed_date),
        carrier=notice.required("Carrier", query.get("carrier"), "carrier"),
        service=notice.token("Service") or query.get("service", "").strip(),
        tracking_number=notice.required(
            "TrackingNumber", query.get("tracking_number"), "tracking_number"
        ),
        shipping_cost=notice.amount("ShippingCost"),
        recipient=_recipient(root.find("Recipient")),
        items=_items(root.find("Items")),
        raw=body.decode("utf-8", errors="replace"),
        body_order_number=body_order_number,
    )


def _parse(body: bytes) -> etree._Element:
    """The body's root element, or a ``MalformedXml`` error that says what the body is."""
    start = body.lstrip()[:1]
    if not start:
        raise NoticeError(MALFORMED_XML, f"The body is empty: {SHIP_NOTICE_HINT}.")
    if start in (b"{", b"["):
        raise NoticeError(
            MALFORMED_XML, f"The body is JSON, but the shipment notice is XML: {SHIP_NOTICE_HINT}."
        )
    try:
        return parse_xml(body)
    except UnsafeXmlError:
        raise NoticeError(
            MALFORMED_XML,
            "The shipment notice declares a DOCTYPE or entities; neither is accepted: remove "
            "the <!DOCTYPE …> and write the values out.",
        ) from None
    except XmlSyntaxError as exc:
        raise NoticeError(
            MALFORMED_XML,
            f"The shipment notice is not well-formed XML ({exc}): {SHIP_NOTICE_HINT}.",
        ) from None


def _check_agreement(notice: _Elements, query: Mapping[str, str]) -> None:
    for parameter, tag, normal in REPEATED_IN_QUERY:
        given = query.get(parameter, "").strip()
        written = notice.token(tag)
        if given and written and normal(given) != normal(written):
            raise _invalid(
                f"The query's {parameter} {given[:60]!r} and the body's <{tag}> {written[:60]!r} "
                "disagree: send the same value in both (or leave the query parameter out)."
            )


class _Elements:
    """Typed reads of an element's children, with errors that name the child."""

    def __init__(self, element: etree._Element) -> None:
        self.element = element

    def text(self, tag: str) -> str | None:
        return self.element.findtext(tag)

    def token(self, tag: str) -> str | None:
        """The child's text without surrounding blanks; None when absent or empty."""
        return (self.element.findtext(tag) or "").strip() or None

    def required(self, tag: str, fallback: str | None, parameter: str) -> str:
        value = self.token(tag) or (fallback or "").strip()
        if not value:
            raise _invalid(
                f"The shipment notice has no {tag}: send it as the body's <{tag}> or the "
                f"{parameter} query parameter."
            )
        return value

    def boolean(self, tag: str) -> bool | None:
        value = self.token(tag)
        if value is None:
            return None
        if value.lower() not in ("true", "false", "1", "0"):
            raise _invalid(f"{tag} must be true or false, not {value[:50]!r}.")
        return value.lower() in ("true", "1")

    def amount(self, tag: str) -> float | None:
        value = self.token(tag)
        if value is None:
            return None
        try:
            amount = float(value)
        except ValueError:
            amount = math.nan
        if not math.isfinite(amount):
            raise _invalid(f"{tag} must be a number, not {value[:50]!r}.")
        return amount

    def quantity(self, tag: str) -> int | None:
        value = self.token(tag)
        if value is None:
            return None
        if not value.isdigit() or not 1 <= int(value) <= 99999:
            raise _invalid(f"{tag} must be a whole number from 1 to 99999, not {value[:50]!r}.")
        return int(value)

    def parsed(self, tag: str, parse: Callable[[str], T]) -> T | None:
        value = self.token(tag)
        if value is None:
            return None
        try:
            return parse(value)
        except ValueError as exc:
            raise _invalid(f"{tag}: {exc}.") from None


def _recipient(element: etree._Element | None) -> Address | None:
    if element is None:
        return None
    recipient = _Elements(element)
    return Address(
        name=recipient.text("Name") or "",
        company=recipient.text("Company"),
        address1=recipient.text("Address1") or "",
        address2=recipient.text("Address2"),
        city=recipient.text("City") or "",
        state=recipient.text("State"),
        postal_code=recipient.text("PostalCode") or "",
        country=recipient.text("Country") or "",
        phone=recipient.text("Phone"),
    )


def _items(element: etree._Element | None) -> list[NoticeItem] | None:
    """The listed lines; None (the whole order ships) without ``<Items>`` or with an empty one."""
    if element is None:
        return None
    items = []
    for number, child in enumerate(element.iterfind("Item"), start=1):
        item = _Elements(child)
        line_item_id, sku = item.token("LineItemID"), item.token("SKU")
        if not line_item_id and not sku:
            raise _invalid(
                f"Item {number} of the shipment notice has neither LineItemID nor SKU: give the "
                "line's LineItemID (or its SKU)."
            )
        items.append(
            NoticeItem(
                line_item_id=line_item_id,
                sku=sku,
                name=item.text("Name"),
                quantity=item.quantity("Quantity"),
            )
        )
    return items or None
