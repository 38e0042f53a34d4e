"""Export XML for the connector's tests, written here on purpose (not the mock's templates).

An order is a nested dict of protocol element names; ``order(number, {"Customer/ShipTo/Phone":
"555"})`` changes one element and ``None`` removes it. Strings go in CDATA (``]]>`` split),
numbers and :class:`Plain` values as plain text.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

FEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "feeds"


class Plain(str):
    """Text written without CDATA (escaped)."""


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def element(name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "".join(element(name, each) for each in value)
    if isinstance(value, dict):
        inner = "".join(element(key, each) for key, each in value.items())
        return f"<{name}>{inner}</{name}>"
    if isinstance(value, bool):
        return f"<{name}>{'true' if value else 'false'}</{name}>"
    if isinstance(value, (int, float, Plain)):
        return f"<{name}>{escape(str(value))}</{name}>"
    return f"<{name}>{cdata(value)}</{name}>"


def ship_to() -> dict[str, Any]:
    return {
        "Name": "Jane Doe",
        "Company": None,
        "Address1": "12 Main St",
        "Address2": "Apt 4",
        "City": "Austin",
        "State": "TX",
        "PostalCode": "78701",
        "Country": "US",
        "Phone": "555-000-1111",
    }


def item(sku: str = "G500-NAVY-L", **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "LineItemID": f"{sku}-line",
        "SKU": sku,
        "Name": "Gildan 5000 Heavy Cotton Tee",
        "ImageUrl": f"https://cdn.example.test/{sku}.png",
        "Weight": Plain("6.1"),
        "WeightUnits": "Ounces",
        "Quantity": 2,
        "UnitPrice": Plain("18.00"),
        "Location": "Shelf B3",
        "Options": {
            "Option": [
                {"Name": "Color", "Value": "Navy"},
                {"Name": "Size", "Value": "L"},
                {"Name": "Design", "Value": "Eagles Front Logo"},
            ]
        },
    }
    base.update(fields)
    return base


def order(number: str = "1001", changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """A complete, valid InkSoft order; ``changes`` maps slash paths to new values."""
    base: dict[str, Any] = {
        "OrderID": number,
        "OrderNumber": number,
        "OrderDate": Plain("03/05/2026 14:22"),
        "OrderStatus": "Ready to Ship",
        "LastModified": Plain("03/06/2026 09:10"),
        "ShippingMethod": "UPS Ground",
        "PaymentMethod": "Credit Card",
        "OrderTotal": Plain("44.87"),
        "TaxAmount": Plain("3.52"),
        "ShippingAmount": Plain("8.95"),
        "CustomerNotes": "Please ship before the tournament & thanks!",
        "InternalNotes": "Screen print run #44",
        "Gift": False,
        "GiftMessage": None,
        "CustomField1": None,
        "Weight": None,
        "WeightUnits": None,
        "Customer": {
            "CustomerCode": "jane@example.com",
            "BillTo": {"Name": "Jane Doe", "Phone": "555-123-4567", "Email": "jane@example.com"},
            "ShipTo": ship_to(),
        },
        "Items": {"Item": [item()]},
    }
    for path, value in (changes or {}).items():
        *parents, leaf = path.split("/")
        target = base
        for part in parents:
            target = target[part]
        target[leaf] = copy.deepcopy(value)
    return base


def feed(*orders: dict[str, Any], pages: int | None = 1) -> bytes:
    """An export page holding ``orders``."""
    attribute = "" if pages is None else f' pages="{pages}"'
    body = "".join(element("Order", each) for each in orders)
    return f'<?xml version="1.0" encoding="utf-8"?>\n<Orders{attribute}>{body}</Orders>'.encode()


def fixture_feed(name: str) -> bytes:
    return (FEEDS / name).read_bytes()
