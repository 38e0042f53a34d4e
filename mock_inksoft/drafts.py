"""Orders from partial JSON: the fields given, the rest from the print-shop factory.

A field left out is filled by :class:`~mock_inksoft.catalog.OrderFactory`; a field given as
``null`` stays empty (``ship_to: null`` is an order without a shipping address). Fields that
depend on others (total, weight, coupon codes, the billing e-mail, an item's image URL, …) are
derived from the result unless they were given.
"""

from __future__ import annotations

import threading
from array import array
from datetime import datetime, timedelta
from typing import Any

from mock_inksoft.catalog import (
    GENERATED_DAYS,
    STATUS_NAMES,
    OrderFactory,
    Outlines,
    image_url,
    new_faker,
    order_seed,
)
from mock_inksoft.dates import format_iso, midnight
from mock_inksoft.fields import ControlError, at
from mock_inksoft.models import GeneratedOrders, InkSoftState, Item, Order, Weight, epoch
from mock_inksoft.order_json import order_from_json, order_to_json

OUNCES_PER_UNIT = {"Ounces": 1.0, "Pounds": 16.0, "Grams": 1 / 28.349523125}
DERIVED: dict[str, Any] = {"order_total": 0.0, "weight": None, "coupon_codes": []}
# What a generated order costs while nothing reads it: its ID, last modified time and status in
# the batch's arrays, and its slot in the export index and four listings (measured with
# `python -m bench.million`, docs/benchmarks.md). Orders read or changed cost more, a few.
GENERATED_ORDER_BYTES = 120
GENERATED_MEMORY_BUDGET = 1024 * 1024 * 1024


def generation_room(state: InkSoftState, count: int) -> None:
    """Refuse ``count`` more generated orders when the mock would hold more than its memory
    budget for them (a :class:`ControlError` on ``count`` saying how many fit)."""
    held = state.generated_count()
    most = GENERATED_MEMORY_BUDGET // GENERATED_ORDER_BYTES
    if held + count > most:
        raise ControlError(
            "count",
            f"must be at most {max(most - held, 0)}: the mock holds {held} generated orders and"
            f" keeps at most {most} (about {GENERATED_ORDER_BYTES} bytes each of a"
            f" {GENERATED_MEMORY_BUDGET // 2**20} MB budget); clear the orders"
            " (DELETE /__admin/orders) to make room",
        )


def generate_orders(
    state: InkSoftState, count: int, seed: int, fixed: dict, shipping_address: bool | None
) -> GeneratedOrders:
    """``count`` print-shop orders from ``seed``, with the next order IDs and ``fixed`` fields,
    dated in the 14 days before the mock clock's midnight (not yet added to the state).

    Nothing but their outlines (status, dates) is made now: order ``i`` is made from the seed
    and ``i`` when it is read. The first is made at once, so that bad ``fixed`` fields are
    refused here, and what the fixed fields change in the outlines is taken from it.
    """
    if "order_id" in fixed:
        raise ControlError("order_id", "cannot be fixed: generated orders take the next IDs")
    day_start = midnight(state.now())
    ids = state.reserve_order_ids(count)
    outlines = Outlines(seed, count)
    fake = new_faker()
    making = threading.Lock()  # one order at a time through the batch's Faker

    def make(index: int) -> Order:
        with making:
            factory = OrderFactory(
                order_seed(seed, index), day_start, fake=fake, outline=outlines[index]
            )
            return new_order(
                fixed,
                factory,
                str(ids[index]),
                default_publisher_id=state.default_publisher_id,
                shipping_address=shipping_address,
            )

    first = make(0)
    earliest = epoch(day_start - timedelta(days=GENERATED_DAYS))
    modified = (
        array("q", [epoch(first.last_modified)]) * count
        if "last_modified" in fixed
        else array("q", [earliest + 60 * minutes for minutes in outlines.changed])
    )
    fixed_status = "status" in fixed
    return GeneratedOrders(
        publisher_id=first.publisher_id,
        ids=ids,
        modified=modified,
        statuses=bytes(count) if fixed_status else outlines.statuses,
        status_names=(first.status,) if fixed_status else STATUS_NAMES,
        order_number=first.order_number if "order_number" in fixed else None,
        make=make,
    )


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
