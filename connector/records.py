"""Rows ↔ records: feed orders as SQL parameters, stored rows as canonical order records.

The canonical records (:class:`OrderRecord` and what it holds) are what the database hands
out and what the importer, shipping, notices, e-mail, the ``Connector`` API and the CLI pass
around; ``orders --json`` prints them as they are.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from json.encoder import encode_basestring_ascii
from typing import Any, TypedDict

from connector.dates import to_iso
from connector.feed import Address, Contact, FeedOrder, Item
from connector.weights import Weight

ORDER_COLUMNS = (
    "order_id",
    "order_number",
    "order_date",
    "last_modified",
    "status",
    "store_status",
    "customer_email",
    "customer_phone",
    "requested_service",
    "payment_method",
    "gift",
    "gift_message",
    "internal_notes",
    "customer_notes",
    "order_total",
    "tax_amount",
    "shipping_amount",
    "total_weight_value",
    "total_weight_units",
    "coupons",
    "discounts",
    "ship_to",
    "bill_to",
)

ITEM_COLUMNS = (
    "position",
    "line_item_id",
    "sku",
    "name",
    "quantity",
    "unit_price",
    "weight_value",
    "weight_units",
    "image_url",
    "location",
    "options",
    "color",
    "size",
    "design",
)


class WeightRecord(TypedDict):
    value: float
    units: str  # stored with every weight: pounds, ounces, grams or kilograms


class AddressRecord(TypedDict):
    """A shipping address: :class:`connector.feed.Address`'s fields."""

    name: str | None
    company: str | None
    street1: str | None
    street2: str | None
    city: str | None
    state: str | None
    postal_code: str | None
    country: str | None
    phone: str | None


class ContactRecord(TypedDict):
    """The billing contact: :class:`connector.feed.Contact`'s fields."""

    name: str | None
    company: str | None
    phone: str | None
    email: str | None


class OptionRecord(TypedDict):
    name: str | None
    value: str | None


class DiscountRecord(TypedDict):
    name: str | None
    sku: str | None
    amount: float


class ItemRecord(TypedDict):
    line_item_id: str | None
    sku: str
    name: str
    quantity: int
    unit_price: float
    weight: WeightRecord | None
    image_url: str | None
    location: str | None
    options: list[OptionRecord]
    color: str | None
    size: str | None
    design: str | None


class ShipmentRecord(TypedDict):
    carrier: str
    service: str | None
    tracking_number: str
    carrier_fee: float
    label_path: str | None
    notified: bool
    delivered: bool


class OrderRecord(TypedDict):
    """One imported order, as the connector's API and ``orders --json`` show it."""

    store: str
    order_id: str
    order_number: str
    order_date: str
    last_modified: str
    status: str
    store_status: str
    customer_email: str | None
    customer_phone: str | None
    requested_service: str | None
    payment_method: str | None
    gift: bool
    gift_message: str | None
    internal_notes: str | None
    customer_notes: str | None
    order_total: float
    tax_amount: float
    shipping_amount: float
    total_weight: WeightRecord | None
    coupons: list[str]
    discounts: list[DiscountRecord]
    ship_to: AddressRecord | None
    bill_to: ContactRecord | None
    items: list[ItemRecord]
    shipments: list[ShipmentRecord]


class ProductRecord(TypedDict):
    sku: str
    name: str | None
    weight: float | None
    weight_units: str | None
    location: str | None


@dataclass
class Product:
    """A catalogue entry, created from an imported SKU."""

    sku: str
    name: str | None
    weight: Weight | None
    location: str | None

    def as_dict(self) -> ProductRecord:
        return {
            "sku": self.sku,
            "name": self.name,
            "weight": float(self.weight.value) if self.weight else None,
            "weight_units": self.weight.units if self.weight else None,
            "location": self.location,
        }


def money(value: Decimal | float) -> float:
    return round(float(value), 2)


EMPTY_JSON_LIST = "[]"


def order_row(order: FeedOrder, status: str) -> tuple[Any, ...]:
    """The order's values for :data:`ORDER_COLUMNS`, in that order (as ``SELECT`` gives them
    back, so that a stored row can be compared with it)."""
    total_weight = order.total_weight
    return (
        order.order_id,
        order.order_number,
        to_iso(order.order_date),
        to_iso(order.last_modified),
        status,
        order.store_status,
        order.customer_email,
        order.customer_phone,
        order.requested_service,
        order.payment_method,
        int(order.gift),
        order.gift_message,
        order.internal_notes,
        order.customer_notes,
        money(order.order_total),
        money(order.tax_amount),
        money(order.shipping_amount),
        float(total_weight.value) if total_weight else None,
        total_weight.units if total_weight else None,
        json.dumps(order.coupons) if order.coupons else EMPTY_JSON_LIST,
        json.dumps(
            [{"name": d.name, "sku": d.sku, "amount": money(d.amount)} for d in order.discounts]
        )
        if order.discounts
        else EMPTY_JSON_LIST,
        address_json(order.ship_to),
        address_json(order.bill_to),
    )


def address_json(address: Address | Contact | None) -> str | None:
    # vars() is the field dict of this flat dataclass, in field order: asdict()'s result
    # without its recursive copy.
    return None if address is None else text_object_json(vars(address))


def text_json(value: str | None) -> str:
    """``json.dumps(value)`` for a string or None, byte for byte."""
    return "null" if value is None else encode_basestring_ascii(value)


def text_object_json(fields: dict[str, str | None]) -> str:
    """``json.dumps(fields)``, byte for byte, for keys that are plain ASCII names (they are
    written as they are) and values that are strings or None. Half the time of
    ``json.dumps``, whose per-call set-up dominates for small objects: this is the JSON of
    every stored address and item option."""
    return "{" + ", ".join([f'"{key}": {text_json(value)}' for key, value in fields.items()]) + "}"


def item_row(item: Item, position: int) -> tuple[Any, ...]:
    """The item's values for :data:`ITEM_COLUMNS`, in that order."""
    weight = item.weight
    options = item.options
    return (
        position,
        item.line_item_id,
        item.sku,
        item.name,
        item.quantity,
        money(item.unit_price),
        float(weight.value) if weight else None,
        weight.units if weight else None,
        item.image_url,
        item.location,
        *(options_columns(item) if options else NO_OPTIONS),
    )


NO_OPTIONS = (EMPTY_JSON_LIST, None, None, None)


def options_columns(item: Item) -> tuple[str, str | None, str | None, str | None]:
    """The item's ``options`` (JSON), ``color``, ``size`` and ``design`` columns; each column
    the value :meth:`~connector.feed.Item.option` gives."""
    objects = []
    columns: list[str | None] = [None, None, None]
    found = [False, False, False]
    for option in item.options:
        json_object, column = option_parts(option.name, option.value)
        objects.append(json_object)
        if column is not None and not found[column]:
            columns[column], found[column] = option.value, True
    return "[" + ", ".join(objects) + "]", columns[0], columns[1], columns[2]


# The option (casefolded) giving each of the color, size and design columns.
OPTION_COLUMNS = {"color": 0, "colour": 0, "size": 1, "design": 2}


@lru_cache(maxsize=4096)
def option_parts(name: str | None, value: str | None) -> tuple[str, int | None]:
    """An option's JSON object and the column it can give (an index of the three, or None).

    Cached by option, not by item: a store's items repeat a few dozen options (colours, sizes,
    designs) in thousands of combinations (2,000 generated orders: 4,969 items, 3,847 sets of
    options, 83 options)."""
    column = OPTION_COLUMNS.get(name.strip().casefold()) if name else None
    return text_object_json({"name": name, "value": value}), column


def product_params(product: Product) -> dict[str, Any]:
    return {
        "sku": product.sku,
        "name": product.name,
        "weight_value": float(product.weight.value) if product.weight else None,
        "weight_units": product.weight.units if product.weight else None,
        "location": product.location,
    }


def product_from_row(row: sqlite3.Row) -> Product:
    weight = None
    if row["weight_value"] is not None:
        weight = Weight(Decimal(str(row["weight_value"])), row["weight_units"])
    return Product(sku=row["sku"], name=row["name"], weight=weight, location=row["location"])


def weight_dict(value: float | None, units: str) -> WeightRecord | None:
    return None if value is None else {"value": value, "units": units}


def order_record(
    row: sqlite3.Row, store_name: str, items: list[sqlite3.Row], shipments: list[sqlite3.Row]
) -> OrderRecord:
    """The canonical order record (what ``orders --json`` shows)."""
    return {
        "store": store_name,
        "order_id": row["order_id"],
        "order_number": row["order_number"],
        "order_date": row["order_date"],
        "last_modified": row["last_modified"],
        "status": row["status"],
        "store_status": row["store_status"],
        "customer_email": row["customer_email"],
        "customer_phone": row["customer_phone"],
        "requested_service": row["requested_service"],
        "payment_method": row["payment_method"],
        "gift": bool(row["gift"]),
        "gift_message": row["gift_message"],
        "internal_notes": row["internal_notes"],
        "customer_notes": row["customer_notes"],
        "order_total": row["order_total"],
        "tax_amount": row["tax_amount"],
        "shipping_amount": row["shipping_amount"],
        "total_weight": weight_dict(row["total_weight_value"], row["total_weight_units"]),
        "coupons": json.loads(row["coupons"]),
        "discounts": json.loads(row["discounts"]),
        "ship_to": json.loads(row["ship_to"]) if row["ship_to"] else None,
        "bill_to": json.loads(row["bill_to"]) if row["bill_to"] else None,
        "items": [item_record(item) for item in items],
        "shipments": [shipment_record(shipment) for shipment in shipments],
    }


def item_record(row: sqlite3.Row) -> ItemRecord:
    return {
        "line_item_id": row["line_item_id"],
        "sku": row["sku"],
        "name": row["name"],
        "quantity": row["quantity"],
        "unit_price": row["unit_price"],
        "weight": weight_dict(row["weight_value"], row["weight_units"]),
        "image_url": row["image_url"],
        "location": row["location"],
        "options": json.loads(row["options"]),
        "color": row["color"],
        "size": row["size"],
        "design": row["design"],
    }


def shipment_record(row: sqlite3.Row) -> ShipmentRecord:
    return {
        "carrier": row["carrier"],
        "service": row["service"],
        "tracking_number": row["tracking_number"],
        "carrier_fee": row["carrier_fee"],
        "label_path": row["label_path"],
        "notified": bool(row["notified"]),
        "delivered": bool(row["delivered"]),
    }
