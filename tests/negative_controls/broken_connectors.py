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
from contextlib import AbstractContextManager, ExitStack
from typing import Any
from unittest import mock

from lxml import etree

from connector import Connector, cli, importer, shipping
from connector.importer import ImportSummary
from inksoft_testkit.drivers.reference import ReferenceDriver
from safexml import parse_xml

RIGHT_CHECK = importer.Importer.check
RIGHT_NOTICE = shipping.ship_notice


class BrokenConnector(Connector):
    """Our connector with one mistake, in force from its opening to its closing (so that the
    mistake is made whichever way it is reached: its methods or the command line's)."""

    def mistake(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.mistakes = ExitStack()
        self.mistakes.enter_context(self.mistake())
        super().__init__(*args, **kwargs)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.mistakes.close()


def check_without_address(self: importer.Importer, order: Any) -> importer.Rejection | None:
    rejection = RIGHT_CHECK(self, order)
    if rejection is not None and rejection.reason == importer.NO_SHIPPING_ADDRESS:
        return None  # the mistake: an order nobody can ship is imported all the same
    return rejection


class AddresslessConnector(BrokenConnector):
    def mistake(self) -> AbstractContextManager[Any]:
        return mock.patch.object(importer.Importer, "check", check_without_address)


def notice_without_fee(order: Any, **fields: Any) -> bytes:
    root = parse_xml(RIGHT_NOTICE(order, **fields))
    for fee in root.findall("ShippingCost"):
        root.remove(fee)  # the mistake: InkSoft never learns what the label cost
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


class FeelessConnector(BrokenConnector):
    def mistake(self) -> AbstractContextManager[Any]:
        return mock.patch.object(shipping, "ship_notice", notice_without_fee)


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
    drivers = {"AddresslessImports": AddresslessImports, "FeelessNotices": FeelessNotices}
    drivers["StickyStoreError"] = StickyStoreError
    with mock.patch.object(cli, "Connector", drivers[sys.argv[1]].connector_class):
        sys.exit(cli.main(sys.argv[2:]))
