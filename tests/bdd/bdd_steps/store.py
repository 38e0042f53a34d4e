"""Steps of the store conformance scenarios: plain HTTP to a store target, never the connector.

The target is the live mock (seeded through its control API) unless ``--store-url`` names
another endpoint; against that one, a step that must seed data makes its scenario not
applicable, and the probes judge whatever orders the store's window holds.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from pytest_bdd import given, parsers, then, when

from inksoft_testkit.storecheck.pytest_plugin import StoreTarget, record

MOCK_PAGE_SIZE = 12
MOCK_ORDERS = 30  # three pages of the mock's window, generated from one seed
NOTICE_ORDERS = ("7101", "7102")


def _an_hour_ago() -> str:
    return (datetime.now(timezone.utc) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:00Z")


@given("a store endpoint with orders in its export window")
def store_with_orders(store_target: StoreTarget) -> None:
    """On the mock, generates three pages of orders in the export window; a real store is taken as it is."""
    if store_target.store_mode:
        return  # a real store holds what it holds: the probes judge whatever the window returns
    store_target.admin.change_settings(page_size=MOCK_PAGE_SIZE)
    store_target.admin.generate_orders(count=MOCK_ORDERS, seed=17)


@given("shipment notices are allowed for two orders of the store")
def notices_allowed(store_target: StoreTarget) -> None:
    """Lets the probes send shipment notices for two orders (made on the mock; --store-order on a real store)."""
    if store_target.store_mode:
        return  # the orders listed with --store-order; without --store-allow-writes the probes
        # of these scenarios are not applicable
    item = {"sku": "G500-NAVY-L", "name": "Gildan 5000 Tee", "quantity": 1}
    store_target.admin.add_orders(
        [
            {
                "order_id": int(number),
                "order_number": number,
                "status": "Ready to Ship",
                "last_modified": _an_hour_ago(),
                "items": [
                    {**item, "line_item_id": f"{number}-1"},
                    {**item, "line_item_id": f"{number}-2", "sku": "R112-CAP-KHK"},
                ],
            }
            for number in NOTICE_ORDERS
        ]
    )
    store_target.allow_notices(NOTICE_ORDERS)


@given(parsers.parse('the store holds an order "{number}" whose customer notes are'))
def order_with_notes(store_target: StoreTarget, number: str, docstring: str) -> None:
    """Seeds an order whose customer notes are the doc string (the mock only: not applicable to a real store)."""
    admin = store_target.needs_mock("seeds an order with chosen free text")
    order = {"order_id": int(number), "order_number": number, "customer_notes": docstring}
    admin.add_orders([{**order, "last_modified": _an_hour_ago()}])
    store_target.seeded[number] = docstring


@when(parsers.parse('the store is probed for "{probe}"'))
def probe_store(store_target: StoreTarget, probe: str) -> None:
    """Runs one of the store probes against the target (the mock, or --store-url)."""
    store_target.ran.append(store_target.prober.run(probe))


@then("no probe fails")
def no_probe_fails(request: pytest.FixtureRequest, store_target: StoreTarget) -> None:
    """No probe of the scenario failed; one that could not apply makes the scenario not applicable."""
    outcome = record(request, store_target)
    texts = "\n".join(result.as_text() for result in store_target.ran)
    if outcome.value == "fail":
        pytest.fail(texts, pytrace=False)
    if outcome.value == "not applicable":
        pytest.skip(
            "not applicable: "
            + "; ".join(r.not_applicable or "" for r in store_target.ran if r.not_applicable)
        )


@then(parsers.parse('the export carries the customer notes of order "{number}" exactly'))
def notes_exact(store_target: StoreTarget, number: str) -> None:
    """The export lists the order once, with its customer notes exactly as seeded."""
    walk = store_target.prober.walk()
    found = [order for order in walk.orders if order.number == number]
    assert len(found) == 1, f"order {number} is in the window {len(found)} times"
    assert found[0].element.findtext("CustomerNotes") == store_target.seeded[number]
