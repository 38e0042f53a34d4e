"""Labels in bulk, the shipment update to InkSoft, its retry queue, and customer e-mails.

For each order of a batch: a label from the carrier simulator (service mapping, rate, tracking
number, ZPL file), then, in one transaction, the shipment, its queued ``<ShipNotice>`` and the
order's new status; then the notice is sent. A notice InkSoft does not accept stays queued and
is retried by the next ``ship``, ``import`` or ``notify --retry`` until it is accepted; an
accepted notice is never sent again. One order failing never stops the others: a carrier's
refusal, or a label that cannot be saved or recorded (a full disk, an unusable labels folder),
is that order's outcome, and nothing is sent to InkSoft for an order whose label was not kept.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sqlite3
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from connector import carriers, mail
from connector.context import StoreContext
from connector.dates import to_iso
from connector.exceptions import ConnectorError
from connector.notices import ship_notice
from connector.records import OrderRecord
from connector.weights import Weight

log = logging.getLogger(__name__)

DEFAULT_SENDER = "shipping@shipstation.test"
WAREHOUSE = carriers.Address(
    street1="100 Press Way", city="Indianapolis", state="IN", postal_code="46204", country="US"
)


@dataclass
class ShipResult:
    """One order's outcome in a label batch."""

    order_number: str
    ok: bool
    carrier: str | None = None
    service: str | None = None
    tracking_number: str | None = None
    carrier_fee: float | None = None
    label_path: str | None = None
    notified: bool = False
    emailed: bool = False
    error: str | None = None
    email_error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class NoticeResult:
    """One queued shipment notice sent again."""

    order_number: str
    tracking_number: str
    ok: bool
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Shipper:
    """Ships the orders of one store."""

    def __init__(self, context: StoreContext) -> None:
        self.context = context
        self.labels = context.files / "labels" / str(context.store.publisher_id)
        self.outbox = context.files / "outbox"
        self.simulator = carriers.CarrierSimulator()
        self.emails_sent = 0
        self.email_failures: list[mail.MailError] = []

    # --- Labels ------------------------------------------------------------------------------

    def ship(self, order_numbers: list[str] | None, notes_to_buyer: str | None) -> list[ShipResult]:
        """Label each order (all awaiting shipment when ``order_numbers`` is None)."""
        self.retry()
        if order_numbers is None:
            order_numbers = [
                o["order_number"]
                for o in self.context.db.orders(self.context.store, status="awaiting_shipment")
            ]
        return [self.ship_one(str(number), notes_to_buyer) for number in order_numbers]

    def ship_one(self, number: str, notes_to_buyer: str | None) -> ShipResult:
        try:
            order = self.shippable(number)
            carrier, service = self.carrier_service(order["requested_service"])
            label = self.simulator.create_label(
                order_number=number,
                carrier=carrier,
                service=service,
                weight_oz=self.weight_oz(order),
                ship_to=carriers.Address.from_record(order["ship_to"] or {}),
                serial=self.context.db.next_shipment_serial(),
                created_at=self.context.clock(),
            )
        except (ConnectorError, ValueError) as exc:
            return ShipResult(number, ok=False, error=str(exc))
        try:
            path = self.save_label(label, order)
        except OSError as exc:
            log.warning("Label for order %s not saved: %s", number, exc)
            return ShipResult(
                number,
                ok=False,
                error=f"The label of order {number} could not be saved in {self.labels} "
                f"({exc.strerror or exc}); nothing was sent to InkSoft and the order still "
                "awaits shipment.",
            )
        notice = ship_notice(
            order,
            carrier=label.carrier,
            service=label.service,
            tracking_number=label.tracking_number,
            carrier_fee=label.carrier_fee,
            notes_to_buyer=notes_to_buyer,
            notify_customer=not self.context.settings["notifications.shipment_email"],
            created_at=label.created_at,
        )
        try:
            notice_id = self.context.db.record_shipment(
                self.context.store.id,
                order["order_id"],
                label,
                label_path=str(path),
                notes_to_buyer=notes_to_buyer,
                notice=notice,
                now=to_iso(label.created_at),
            )
        except (OSError, sqlite3.Error) as exc:
            log.warning("Shipment of order %s not recorded: %s", number, exc)
            with contextlib.suppress(OSError):  # a label nobody knows of must not be printed
                path.unlink(missing_ok=True)
            return ShipResult(
                number,
                ok=False,
                error=f"The shipment of order {number} could not be recorded ({exc}); its label "
                "was discarded, nothing was sent to InkSoft and the order still awaits shipment.",
            )
        result = ShipResult(
            number,
            ok=True,
            carrier=label.carrier,
            service=label.service,
            tracking_number=label.tracking_number,
            carrier_fee=float(label.carrier_fee),
            label_path=str(path),
        )
        sent = self.send_notice(notice_id, number, label.tracking_number)
        result.notified, result.error = sent.ok, sent.error
        if self.context.settings["notifications.shipment_email"]:
            details: mail.ShipmentDetails = {
                "carrier": label.carrier,
                "service": label.service,
                "tracking_number": label.tracking_number,
                "notes_to_buyer": notes_to_buyer,
            }
            failure = self.email(mail.render_shipment_email, order, details)
            result.emailed = failure is None
            result.email_error = None if failure is None else str(failure)
        return result

    def shippable(self, number: str) -> OrderRecord:
        order = self.context.db.order(self.context.store, number)
        if order is None:
            raise ConnectorError(f"Order {number} is not in the store {self.context.store.name!r}.")
        if order["shipments"]:
            tracking = order["shipments"][0]["tracking_number"]
            raise ConnectorError(f"Order {number} already has a label ({tracking}).")
        if order["status"] != "awaiting_shipment":
            raise ConnectorError(f"Order {number} is {order['status']}, not awaiting_shipment.")
        return order

    def carrier_service(self, requested: str | None) -> tuple[str, str]:
        key = f"service_mapping.{requested}" if requested else ""
        mapped = self.context.settings.get(key) or self.context.settings["service_mapping.default"]
        return carriers.parse_carrier_service(mapped)

    @staticmethod
    def weight_oz(order: OrderRecord) -> float:
        weight = order["total_weight"]
        if not weight or not weight["value"]:
            raise ConnectorError(f"Order {order['order_number']} has no weight to rate a label.")
        return float(Weight(Decimal(str(weight["value"])), weight["units"]).to("ounces").value)

    def save_label(self, label: carriers.Label, order: OrderRecord) -> Path:
        ship_from = replace(
            WAREHOUSE, name=self.context.settings["branding.name"] or self.context.store.name
        )
        ship_to = carriers.Address.from_record(order["ship_to"] or {})
        self.labels.mkdir(parents=True, exist_ok=True)
        safe_number = re.sub(r"[^A-Za-z0-9_-]", "_", label.order_number)
        path = self.labels / f"{safe_number}-{label.tracking_number}.zpl"
        path.write_text(carriers.render_zpl_label(label, ship_from, ship_to), encoding="utf-8")
        return path

    # --- Shipment notices --------------------------------------------------------------------

    def send_notice(self, notice_id: int, order_number: str, tracking: str) -> NoticeResult:
        notice = self.context.db.notice(notice_id)
        try:
            self.context.client.ship_notify(
                order_number, notice["carrier"], notice["service"] or "", tracking, notice["body"]
            )
        except ConnectorError as exc:
            self.context.db.notice_failed(notice_id, str(exc), to_iso(self.context.clock()))
            log.warning("Shipment update for order %s queued: %s", order_number, exc)
            return NoticeResult(order_number, tracking, ok=False, error=f"queued: {exc}")
        self.context.db.notice_accepted(notice_id, to_iso(self.context.clock()))
        return NoticeResult(order_number, tracking, ok=True)

    def retry(self) -> list[NoticeResult]:
        """Send every queued notice again, oldest first."""
        return [
            self.send_notice(n["id"], n["order_number"], n["tracking_number"])
            for n in self.context.db.queued_notices(self.context.store.id)
        ]

    # --- Deliveries and e-mail ---------------------------------------------------------------

    def deliver(self, number: str) -> dict[str, Any]:
        order = self.context.db.order(self.context.store, number)
        if order is None or not order["shipments"]:
            raise ConnectorError(f"Order {number} has no shipment to deliver.")
        delivered = self.context.db.mark_delivered(
            self.context.store.id, order["order_id"], to_iso(self.context.clock())
        )
        emailed = False
        if delivered and self.context.settings["notifications.delivery_email"]:
            shipment = order["shipments"][0]
            details: mail.ShipmentDetails = {
                "carrier": shipment["carrier"],
                "service": shipment["service"],
                "tracking_number": shipment["tracking_number"],
                "notes_to_buyer": None,
            }
            emailed = self.email(mail.render_delivery_email, order, details) is None
        return {"order_number": number, "delivered": delivered, "emailed": emailed}

    def email(
        self, render: mail.EmailRenderer, order: OrderRecord, shipment: mail.ShipmentDetails
    ) -> mail.MailError | None:
        """Render and send one customer e-mail; a failure is logged and returned, never fatal
        to the label."""
        try:
            message = render(
                branding={
                    "name": self.context.settings["branding.name"] or self.context.store.name,
                    "reply_to": self.context.settings["branding.reply_to"],
                },
                order=order,
                shipment=shipment,
                sender=self.context.settings["email.from"] or DEFAULT_SENDER,
                now=self.context.clock(),
            )
            self.transport().send(message)
        except mail.MailError as exc:
            log.warning("No e-mail for order %s: %s", order["order_number"], exc)
            self.email_failures.append(exc)
            return exc
        self.emails_sent += 1
        return None

    def broken_email(self) -> str | None:
        """The one problem every e-mail of this shipper had, when it is a setting's or the
        transport's (not an order's): then no customer hears of any shipment."""
        failures = [f for f in self.email_failures if not isinstance(f, mail.RecipientError)]
        if self.emails_sent or not failures:
            return None
        return str(failures[0])

    def transport(self) -> mail.OutboxTransport | mail.SmtpTransport:
        if self.context.settings["email.transport"] == "smtp":
            return mail.SmtpTransport(
                self.context.settings["email.smtp_host"],
                self.context.settings["email.smtp_port"],
                starttls=self.context.settings["email.smtp_starttls"],
                username=self.context.settings["email.smtp_username"] or None,
                password=self.context.settings["email.smtp_password"] or None,
            )
        return mail.OutboxTransport(self.outbox)
