"""Negative controls: connectors wrong in one documented behaviour each, for the kit to catch.

Each is our connector with one mistake, made here (never in the shipped connector):

- :class:`AddresslessImports` (B09): imports an order that has no shipping address.
- :class:`FeelessNotices` (B28): sends the shipment update without the carrier fee.
- :class:`StickyStoreError` (B33): keeps the store error after a refresh that succeeds.

and :class:`WithoutEmail`, our connector declaring no e-mail: its e-mail scenarios are not
applicable (neither passed nor failed).

Run the suite in process against one with
``pytest tests/bdd -m b09 --connector-driver broken_connectors:AddresslessImports`` (this
folder on ``PYTHONPATH``), or as a process through the command-line contract with
``--connector-cmd "python tests/negative_controls/broken_connectors.py StickyStoreError"``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any
from unittest import mock

from lxml import etree

from connector import Connector, cli, importer, service, shipping
from connector.importer import ImportSummary
from connector.shipping import ShipResult
from inksoft_testkit.drivers.reference import ReferenceDriver
from safexml import parse_xml


class AddresslessImporter(importer.Importer):
    def check(self, order: Any) -> importer.Rejection | None:
        rejection = super().check(order)
        if rejection is not None and rejection.reason == importer.NO_SHIPPING_ADDRESS:
            return None  # the mistake: an order nobody can ship is imported all the same
        return rejection


class AddresslessConnector(Connector):
    def refresh(self, store: str | int | None = None) -> ImportSummary:
        with mock.patch.object(service, "Importer", AddresslessImporter):
            return super().refresh(store)


class FeelessConnector(Connector):
    def ship(
        self,
        order_numbers: Iterable[str] | None = None,
        notes_to_buyer: str | None = None,
        store: str | int | None = None,
    ) -> list[ShipResult]:
        original = shipping.ship_notice

        def without_fee(order: Any, **fields: Any) -> bytes:
            root = parse_xml(original(order, **fields))
            for fee in root.findall("ShippingCost"):
                root.remove(fee)  # the mistake: InkSoft never learns what the label cost
            return etree.tostring(root, xml_declaration=True, encoding="utf-8")

        with mock.patch.object(shipping, "ship_notice", without_fee):
            return super().ship(order_numbers, notes_to_buyer, store)


class StickyErrorConnector(Connector):
    def refresh(self, store: str | int | None = None) -> ImportSummary:
        kept = self.store(store).error
        summary = super().refresh(store)
        if summary.ok and kept:  # the mistake: the old store error is written back
            row = self.store(store)
            self.db.record_refresh(
                row.id, row.last_refresh_attempt or "", succeeded_at=row.last_refresh, error=kept
            )
        return summary


class AddresslessImports(ReferenceDriver):
    name = "a connector that imports address-less orders (B09)"
    connector_class = AddresslessConnector


class FeelessNotices(ReferenceDriver):
    name = "a connector whose shipment updates lack the carrier fee (B28)"
    connector_class = FeelessConnector


class StickyStoreError(ReferenceDriver):
    name = "a connector that keeps the store error after a good refresh (B33)"
    connector_class = StickyErrorConnector


class WithoutEmail(ReferenceDriver):
    name = "a connector that sends no e-mail"
    capabilities = ReferenceDriver.capabilities - {"email"}


if __name__ == "__main__":  # the same mistakes behind our command line
    broken = {"AddresslessImports": AddresslessConnector, "FeelessNotices": FeelessConnector}
    broken["StickyStoreError"] = StickyErrorConnector
    with mock.patch.object(cli, "Connector", broken[sys.argv[1]]):
        sys.exit(cli.main(sys.argv[2:]))
