"""Orders from partial JSON: the fields given, the rest from the print-shop factory.

A field left out is filled by :class:`~mock_inksoft.catalog.OrderFactory`; a field given as
``null`` stays empty (``ship_to: null`` is an order without a shipping address). Fields that
depend on others (total, weight, coupon codes, the billing e-mail, an item's image URL, …) are
derived from the result unless they were given.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mock_inksoft.catalog import OrderFactory, image_url
from mock_inksoft.dates import format_iso, midnight
from mock_inksoft.fields import ControlError, at
from mock_inksoft.models import InkSoftState, Item, Order, Weight
from mock_inksoft.order_json import order_from_json, order_to_json

OUNCES_PER_UNIT = {"Ounces": 1.0, "Pounds": 16.0, "Grams": 1 / 28.349523125}
DERIVED: dict[str, Any] = {"order_total": 0.0, "weight": None, "coupon_codes": []}


def generate_orders(
    state: InkSoftState, count: int, seed: int, fixed: dict, shipping_address: bool | None
) -> list[Order]:
    """``count`` print-shop orders from ``seed``, with the next order IDs and ``fixed`` fields,
    dated in the 14 days before the mock clock's midnight (not yet added to the state)."""
    factory = OrderFactory(seed, midnight(state.now()))
    return [
        new_order(
            fixed,
            factory,
            order_id,
            default_publisher_id=state.default_publisher_id,
            shipping_address=shipping_address,
        )
        for order_id in state.reserve_order_ids(count)
    ]


def new_order(
    given: Any,
    factory: OrderFactory,
    order_id: str,
    *,
    default_publisher_id: int,
    shipping_address: bool | None = True,
    modified_at: datetime | None = None,
    path: str = "",
) -> Order:
    """A new order: ``given`` over a generated one, derived fields computed.

    ``shipping_address`` is passed to the factory (None: one order in fifteen has none);
    ``modified_at`` is the last modified time when ``given`` has none (else the factory's).
    """
    given = hoist_ship_to(given, path)
    if isinstance(_ship_to_given(given), dict):
        shipping_address = True
    base = {**factory.order(order_id, shipping_address=shipping_address), **DERIVED}
    if modified_at is not None:
        base["last_modified"] = format_iso(modified_at)
    merged = merge(base, given)
    if "items" in given:
        merged["items"] = _complete_items(given["items"], factory, order_id)
    order = order_from_json(merged, path, default_publisher_id=default_publisher_id)
    _derive(order, given, factory)
    return order


def changed_order(
    order: Order, changes: Any, factory: OrderFactory, *, modified_at: datetime
) -> Order:
    """``order`` with ``changes`` merged in; its last modified time moves unless given."""
    changes = hoist_ship_to(changes, "")
    if "order_id" in changes and str(changes["order_id"]) != order.order_id:
        raise ControlError("order_id", "cannot be changed")
    current = order_to_json(order)
    if isinstance(_ship_to_given(changes), dict) and current["customer"]["ship_to"] is None:
        bill_to = order.customer.bill_to
        current["customer"]["ship_to"] = factory.ship_to(
            bill_to.name, bill_to.company, bill_to.phone
        )
    merged = merge(current, changes)
    if "items" in changes:
        merged["items"] = _complete_items(changes["items"], factory, order.order_id)
    changed = order_from_json(merged, default_publisher_id=order.publisher_id)
    if "items" in changes:
        _derive_items(changed.items, changes["items"])
    else:
        changed.items = order.items  # keeps which lines have shipped
    if "last_modified" not in changes:
        changed.last_modified = modified_at
    return changed


def hoist_ship_to(given: Any, path: str) -> dict:
    """Accept ``ship_to`` at the top level as a shorthand for ``customer.ship_to``."""
    if not isinstance(given, dict):
        raise ControlError(path or "body", "must be a JSON object")
    if "ship_to" not in given:
        return given
    given = dict(given)
    ship_to = given.pop("ship_to")
    customer = given.get("customer") or {}
    if not isinstance(customer, dict):
        raise ControlError(at(path, "customer"), "must be a JSON object")
    if "ship_to" in customer:
        raise ControlError(at(path, "ship_to"), "is given twice (also as customer.ship_to)")
    given["customer"] = {**customer, "ship_to": ship_to}
    return given


def _ship_to_given(given: dict) -> Any:
    customer = given.get("customer")
    return customer.get("ship_to") if isinstance(customer, dict) else None


def merge(base: dict, given: dict) -> dict:
    """``given`` over ``base``, object by object (a list or a value replaces)."""
    merged = dict(base)
    for key, value in given.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = merge(base[key], value)
        else:
            merged[key] = value
    return merged


def _complete_items(given_items: Any, factory: OrderFactory, order_id: str) -> Any:
    """Each given item over a generated line of its kind (product, or coupon if adjustment)."""
    if not isinstance(given_items, list):
        return given_items  # reported by the validation
    completed = []
    for index, item in enumerate(given_items):
        if not isinstance(item, dict):
            completed.append(item)
        elif item.get("adjustment") is True:
            completed.append(merge(factory.any_coupon_line(), item))
        else:
            completed.append(merge(factory.product_line(f"{order_id}-{index + 1}"), item))
    return completed


def _derive(order: Order, given: dict, factory: OrderFactory) -> None:
    if isinstance(given.get("items"), list):
        _derive_items(order.items, given["items"])
    if "coupon_codes" not in given:
        order.coupon_codes = [item.sku for item in order.items if item.adjustment]
    if "weight" not in given:
        order.weight = total_weight(order.items)
    if "order_total" not in given:
        order.order_total = order_total(order)
    if "gift" in given and "gift_message" not in given:
        order.gift_message = (order.gift_message or factory.gift_message()) if order.gift else None
    customer: dict[str, Any] = given.get("customer") or {}
    customer = customer if isinstance(customer, dict) else {}
    bill_to: dict[str, Any] = (
        customer["bill_to"] if isinstance(customer.get("bill_to"), dict) else {}
    )
    ship_to: dict[str, Any] = (
        customer["ship_to"] if isinstance(customer.get("ship_to"), dict) else {}
    )
    if "email" in customer and "email" not in bill_to:
        order.customer.bill_to.email = order.customer.email
    if order.customer.ship_to is not None and "name" in bill_to and "name" not in ship_to:
        order.customer.ship_to.name = order.customer.bill_to.name


def _derive_items(items: list[Item], given_items: list) -> None:
    """An item given with Design and Color options but no image URL gets the design's image;
    one given without a weight has no weight unit either, unless one is given."""
    for item, given in zip(items, given_items, strict=True):
        options = {option.name: option.value for option in item.options}
        if "image_url" not in given and "options" in given and {"Design", "Color"} <= set(options):
            item.image_url = image_url(options["Design"], options["Color"])
        if "weight" in given and given["weight"] is None and "weight_units" not in given:
            item.weight_units = None


def total_weight(items: list[Item]) -> Weight | None:
    """The items' weight in ounces (quantity times unit weight), or None when none has one."""
    weighed = [i for i in items if not i.adjustment and i.weight is not None and i.weight_units]
    if not weighed:
        return None
    ounces = sum(
        i.quantity * (i.weight or 0.0) * OUNCES_PER_UNIT[i.weight_units or "Ounces"]
        for i in weighed
    )
    return Weight(value=round(ounces, 2), units="Ounces")


def order_total(order: Order) -> float:
    lines = sum(round(item.quantity * item.unit_price, 2) for item in order.items)
    return round(lines + (order.tax_amount or 0.0) + (order.shipping_amount or 0.0), 2)
