"""One lookup of an order by number, for the API, labels and deliveries alike."""

from __future__ import annotations

import responses
from feedbuilder import feed, order

from connector import Connector
from safexml import parse_xml

ENDPOINT = "http://inksoft.test/20002/shipstation"  # the ``connected`` fixture's store


def test_two_orders_with_one_number_are_one_order_everywhere(connected: Connector, inksoft):
    """InkSoft sent two orders numbered 2001; the one changed last is the order 2001, though
    the other one is older and listed first."""
    older = {"OrderID": "A", "OrderDate": "03/01/2026 10:00", "LastModified": "03/02/2026 10:00"}
    newer = {"OrderID": "B", "OrderDate": "03/04/2026 10:00", "LastModified": "03/07/2026 10:00"}
    inksoft.pages(feed(order("2001", newer), order("2001", older)))
    assert connected.refresh().ok
    assert [o["order_id"] for o in connected.orders()] == ["A", "B"]
    inksoft.http.add(responses.POST, ENDPOINT, body=b"")

    assert connected.order("2001")["order_id"] == "B"
    [shipped] = connected.ship(["2001"])
    assert shipped.ok
    notice = parse_xml(inksoft.http.calls[-1].request.body)
    assert notice.findtext("OrderID") == "B"
    assert connected.deliver("2001")["delivered"] == [shipped.tracking_number]
    by_id = {o["order_id"]: o for o in connected.orders()}
    assert by_id["B"]["shipments"][0]["delivered"]
    assert not by_id["A"]["shipments"]
