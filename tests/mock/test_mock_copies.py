"""What the state hands out and stores are copies (``models.detached``): equal to the original,
sharing no list, dict or record with it, so that changing one never changes the other."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from mock_inksoft.context import EXTENSION
from mock_inksoft.models import InkSoftState, detached


def mutable_parts(value: Any) -> dict[int, Any]:
    """Every list, dict and dataclass record reachable from ``value``, by identity."""
    found: dict[int, Any] = {}
    pending = [value]
    while pending:
        part = pending.pop()
        if isinstance(part, list | tuple):
            pending.extend(part)
        elif isinstance(part, dict):
            pending.extend(part.values())
        elif dataclasses.is_dataclass(part) and not isinstance(part, type):
            pending.extend(getattr(part, f.name) for f in dataclasses.fields(part))
        else:
            continue
        if not isinstance(part, tuple):
            found[id(part)] = part
    return found


def shares_nothing(one: Any, other: Any) -> bool:
    return not mutable_parts(one).keys() & mutable_parts(other).keys()


def state_with_everything(app: Flask, client: FlaskClient) -> InkSoftState:
    """Generated orders (items, options, weights, addresses) and one shipment of one of them."""
    assert client.post("/__admin/orders/generate", json={"count": 12, "seed": 4}).status_code == 201
    shipped = client.post(
        "/10001/shipstation?action=shipnotify&order_number=1048003&carrier=UPS&service=Ground"
        "&tracking_number=1Z999AA10123456784",
        data=b"<ShipNotice><OrderNumber>1048003</OrderNumber></ShipNotice>",
        content_type="text/xml",
        headers={"Authorization": "Basic ZGVtbzpkZW1vLXBhc3N3b3Jk"},  # demo:demo-password
    )
    assert shipped.status_code == 200, shipped.text
    return app.extensions[EXTENSION].state


def test_a_detached_copy_equals_its_original_and_shares_nothing_with_it(
    app: Flask, client: FlaskClient
):
    state = state_with_everything(app, client)
    orders = [state.order(str(number)) for number in range(1048001, 1048013)]
    held = [*orders, *state.accounts(), *state.shipments()]
    assert any(order and order.items and order.items[0].options for order in orders)
    assert state.shipments()
    for value in [*held, held]:
        copied = detached(value)
        assert copied == value == copy.deepcopy(value)
        assert type(copied) is type(value)
        assert shares_nothing(copied, value)


def test_changing_what_the_state_handed_out_changes_nothing_in_it(app: Flask, client: FlaskClient):
    state = state_with_everything(app, client)
    order = state.order("1048003")
    assert order is not None and order.items
    order.items[0].options.clear()
    order.items.pop()
    order.coupon_codes.append("CHANGED")
    order.customer.ship_to.city = "Elsewhere"  # type: ignore[union-attr]
    assert state.order("1048003") != order
    account = state.accounts()[0]
    account.users.clear()
    assert state.accounts()[0].users
    shipment = state.shipments()[0]
    shipment.notice.carrier = "FedEx"
    assert state.shipments()[0].notice.carrier == "UPS"
