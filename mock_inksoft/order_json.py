"""Orders and shipments as the control API writes them: JSON that mirrors the feed in snake_case.

Reading is strict (types, required fields, no unknown field) so that every stored order renders
as a well-formed export; lengths and ranges are not policed, so that a test can still hand the
connector an odd order on purpose.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from mock_inksoft.dates import format_iso
from mock_inksoft.fields import ControlError, Reader
from mock_inksoft.models import (
    WEIGHT_UNITS,
    Address,
    BillTo,
    Customer,
    Item,
    Option,
    Order,
    Shipment,
    ShipNotice,
    Weight,
)

ORDER_FIELDS = (
    "publisher_id",
    "order_id",
    "order_number",
    "order_date",
    "last_modified",
    "status",
    "shipping_method",
    "payment_method",
    "order_total",
    "tax_amount",
    "shipping_amount",
    "customer_notes",
    "internal_notes",
    "gift",
    "gift_message",
    "coupon_codes",
    "weight",
    "customer",
    "items",
)
CUSTOMER_FIELDS = ("email", "bill_to", "ship_to")
BILL_TO_FIELDS = ("name", "company", "phone", "email")
ADDRESS_FIELDS = (
    "name",
    "company",
    "address1",
    "address2",
    "city",
    "state",
    "postal_code",
    "country",
    "phone",
)
ITEM_FIELDS = (
    "line_item_id",
    "sku",
    "name",
    "image_url",
    "weight",
    "weight_units",
    "quantity",
    "unit_price",
    "location",
    "options",
    "adjustment",
)
OPTION_FIELDS = ("name", "value")
WEIGHT_FIELDS = ("value", "units")


def order_from_json(data: Any, path: str = "", *, default_publisher_id: int) -> Order:
    """A complete order (every required field present) from its JSON."""
    order = Reader(data, path, ORDER_FIELDS)
    customer = order.required_object("customer", CUSTOMER_FIELDS)
    return Order(
        publisher_id=order.publisher_id("publisher_id", default=default_publisher_id),
        order_id=order.identifier("order_id"),
        order_number=order.identifier("order_number"),
        order_date=order.timestamp("order_date"),
        last_modified=order.timestamp("last_modified"),
        status=order.text("status", required=True, nonblank=True),
        shipping_method=order.text("shipping_method"),
        payment_method=order.text("payment_method"),
        order_total=order.number("order_total", required=True),
        tax_amount=order.number("tax_amount"),
        shipping_amount=order.number("shipping_amount"),
        customer_notes=order.text("customer_notes"),
        internal_notes=order.text("internal_notes"),
        gift=order.boolean("gift"),
        gift_message=order.text("gift_message"),
        coupon_codes=order.texts("coupon_codes"),
        weight=_weight(order.object("weight", WEIGHT_FIELDS)),
        customer=_customer(customer),
        items=[_item(item) for item in order.objects("items", ITEM_FIELDS, required=True)],
    )


def _weight(weight: Reader | None) -> Weight | None:
    if weight is None:
        return None
    value = weight.number("value", required=True)
    units = weight.choice("units", WEIGHT_UNITS) or "Ounces"
    return Weight(value=value, units=units)


def _customer(customer: Reader) -> Customer:
    bill_to = customer.required_object("bill_to", BILL_TO_FIELDS)
    ship_to = customer.object("ship_to", ADDRESS_FIELDS)
    return Customer(
        email=customer.text("email", required=True),
        bill_to=BillTo(
            name=bill_to.text("name", required=True),
            company=bill_to.text("company"),
            phone=bill_to.text("phone"),
            email=bill_to.text("email"),
        ),
        ship_to=None if ship_to is None else address_from_json(ship_to),
    )


def address_from_json(address: Reader) -> Address:
    return Address(
        name=address.text("name", required=True),
        company=address.text("company"),
        address1=address.text("address1", required=True),
        address2=address.text("address2"),
        city=address.text("city", required=True),
        state=address.text("state"),
        postal_code=address.text("postal_code", required=True),
        country=address.text("country", required=True),
        phone=address.text("phone"),
    )


def _item(item: Reader) -> Item:
    weight_units = item.choice("weight_units", WEIGHT_UNITS)
    weight = item.number("weight")
    if weight is not None and weight_units is None:
        raise ControlError(item.field("weight_units"), "is required with a weight")
    return Item(
        line_item_id=item.identifier("line_item_id", required=False),
        sku=item.text("sku", required=True),
        name=item.text("name", required=True),
        image_url=item.text("image_url"),
        weight=weight,
        weight_units=weight_units,
        quantity=item.integer("quantity", required=True),
        unit_price=item.number("unit_price", required=True),
        location=item.text("location"),
        options=[
            Option(name=o.text("name", required=True), value=o.text("value", required=True))
            for o in item.objects("options", OPTION_FIELDS)
        ],
        adjustment=bool(item.boolean("adjustment")),
    )


def order_to_json(order: Order) -> dict:
    return {
        "publisher_id": order.publisher_id,
        "order_id": order.order_id,
        "order_number": order.order_number,
        "order_date": format_iso(order.order_date),
        "last_modified": format_iso(order.last_modified),
        "status": order.status,
        "shipping_method": order.shipping_method,
        "payment_method": order.payment_method,
        "order_total": round(order.order_total, 2),
        "tax_amount": _money(order.tax_amount),
        "shipping_amount": _money(order.shipping_amount),
        "customer_notes": order.customer_notes,
        "internal_notes": order.internal_notes,
        "gift": order.gift,
        "gift_message": order.gift_message,
        "coupon_codes": list(order.coupon_codes),
        "weight": None
        if order.weight is None
        else {"value": order.weight.value, "units": order.weight.units},
        "customer": {
            "email": order.customer.email,
            "bill_to": _fields(order.customer.bill_to),
            "ship_to": address_to_json(order.customer.ship_to),
        },
        "items": [_item_to_json(item) for item in order.items],
    }


def _money(amount: float | None) -> float | None:
    return None if amount is None else round(amount, 2)


def address_to_json(address: Address | None) -> dict | None:
    return None if address is None else _fields(address)


def _fields(flat: BillTo | Address) -> dict:
    """A flat dataclass (slotted: no ``vars()``) as a dict, in field order."""
    return {f.name: getattr(flat, f.name) for f in fields(flat)}


def _item_to_json(item: Item) -> dict:
    return {
        "line_item_id": item.line_item_id,
        "sku": item.sku,
        "name": item.name,
        "image_url": item.image_url,
        "weight": item.weight,
        "weight_units": item.weight_units,
        "quantity": item.quantity,
        "unit_price": round(item.unit_price, 2),
        "location": item.location,
        "options": [{"name": o.name, "value": o.value} for o in item.options],
        "adjustment": item.adjustment,
    }


def shipment_to_json(shipment: Shipment) -> dict:
    notice = shipment.notice
    return {
        "publisher_id": shipment.publisher_id,
        "order_id": shipment.order_id,
        "order_number": shipment.order_number,
        **_notice_fields(notice),
        "received_at": format_iso(shipment.received_at),
        "raw": notice.raw,
    }


def notice_to_json(notice: ShipNotice) -> dict:
    """A shipment notice's parsed fields, as the journal shows them: the orders it names (the
    body's ``OrderID`` and ``OrderNumber``, the query's ``order_number``) and its fields."""
    return {
        "order_id": notice.order_id,
        "order_number": notice.order_number,
        "body_order_number": notice.body_order_number,
        **_notice_fields(notice),
    }


def _notice_fields(notice: ShipNotice) -> dict:
    return {
        "carrier": notice.carrier,
        "service": notice.service,
        "tracking_number": notice.tracking_number,
        "shipping_cost": notice.shipping_cost,
        "notes_to_customer": notice.notes_to_customer,
        "notify_customer": notice.notify_customer,
        "customer_code": notice.customer_code,
        "label_create_date": None
        if notice.label_create_date is None
        else format_iso(notice.label_create_date),
        "ship_date": None if notice.ship_date is None else notice.ship_date.isoformat(),
        "recipient": address_to_json(notice.recipient),
        "items": None if notice.items is None else [vars(i).copy() for i in notice.items],
    }
