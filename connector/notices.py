"""The ``<ShipNotice>`` document the connector sends to InkSoft (the connector's own mapping)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from lxml import etree

from connector.dates import format_feed_date
from connector.records import OrderRecord

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
RECIPIENT_FIELDS = (
    ("Name", "name"),
    ("Company", "company"),
    ("Address1", "street1"),
    ("Address2", "street2"),
    ("City", "city"),
    ("State", "state"),
    ("PostalCode", "postal_code"),
    ("Country", "country"),
    ("Phone", "phone"),
)


def _add(parent: etree._Element, tag: str, value: Any) -> None:
    if value is None or value == "":
        return
    etree.SubElement(parent, tag).text = XML_ILLEGAL.sub("", str(value))


def ship_notice(
    order: OrderRecord,
    *,
    carrier: str,
    service: str,
    tracking_number: str,
    carrier_fee: Decimal,
    notes_to_buyer: str | None,
    notify_customer: bool,
    created_at: datetime,
) -> bytes:
    """The notice for one package holding every item of ``order`` (a canonical record)."""
    root = etree.Element("ShipNotice")
    _add(root, "OrderNumber", order["order_number"])
    _add(root, "OrderID", order["order_id"])
    _add(root, "CustomerCode", order.get("customer_email"))
    _add(root, "NotesToCustomer", notes_to_buyer)
    _add(root, "NotifyCustomer", "true" if notify_customer else "false")
    _add(root, "LabelCreateDate", format_feed_date(created_at))
    _add(root, "ShipDate", created_at.strftime("%m/%d/%Y"))
    _add(root, "Carrier", carrier)
    _add(root, "Service", service)
    _add(root, "TrackingNumber", tracking_number)
    _add(root, "ShippingCost", f"{carrier_fee:.2f}")
    recipient = etree.SubElement(root, "Recipient")
    ship_to: Mapping[str, Any] = order["ship_to"] or {}
    for tag, key in RECIPIENT_FIELDS:
        _add(recipient, tag, ship_to.get(key))
    items = etree.SubElement(root, "Items")
    for line in order["items"]:
        item = etree.SubElement(items, "Item")
        _add(item, "LineItemID", line.get("line_item_id"))
        _add(item, "SKU", line["sku"])
        _add(item, "Name", line["name"])
        _add(item, "Quantity", line["quantity"])
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")
