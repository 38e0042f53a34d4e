"""Customer e-mails: the shipment and delivery confirmations, and two ways to send them.

:func:`render_shipment_email` and :func:`render_delivery_email` build a multipart/alternative
message (plain text and HTML, from the Jinja2 templates in ``templates/email``), branded with
the store's settings. :class:`OutboxTransport` writes it as an ``.eml`` file into a folder;
:class:`SmtpTransport` hands it to an SMTP server. Both raise :class:`MailError`, whose message
never holds a password.
"""

from __future__ import annotations

import email.policy
import hashlib
import os
import re
import secrets
import smtplib
import ssl
import tempfile
from dataclasses import KW_ONLY, dataclass, field
from datetime import datetime, timezone
from email.errors import HeaderParseError
from email.headerregistry import Address, HeaderRegistry
from email.message import EmailMessage
from email.utils import format_datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypedDict

from connector import carriers
from connector.records import ItemRecord, OrderRecord

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = [
    "MailError",
    "OutboxTransport",
    "RecipientError",
    "SmtpTransport",
    "parse_mailbox",
    "render_delivery_email",
    "render_shipment_email",
]


class Branding(TypedDict):
    """Who the e-mail comes from: the store's brand name and its reply-to address."""

    name: str | None
    reply_to: str | None


class ShipmentDetails(TypedDict):
    """What a customer e-mail tells of the shipment."""

    carrier: str
    service: str | None
    tracking_number: str
    notes_to_buyer: str | None


class EmailRenderer(Protocol):
    """:func:`render_shipment_email` or :func:`render_delivery_email`."""

    def __call__(
        self,
        *,
        branding: Branding,
        order: OrderRecord,
        shipment: ShipmentDetails,
        sender: str,
        now: datetime | None = None,
        message_id_domain: str | None = None,
    ) -> EmailMessage: ...


class MailError(Exception):
    """An e-mail cannot be built or sent; the message says why (and never holds a password)."""


class RecipientError(MailError):
    """The order's customer cannot be e-mailed (no address, or not a valid one): the order's
    problem, where every other MailError is the settings' or the transport's."""


@cache
def templates() -> Environment:
    """The e-mails' templates, loaded at the first e-mail: a command that sends none (an
    import) starts without Jinja2."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader("connector", "templates/email"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


_SUBJECT_ENDINGS = {"shipment": "has shipped", "delivery": "has been delivered"}


def render_shipment_email(
    *,
    branding: Branding,
    order: OrderRecord,
    shipment: ShipmentDetails,
    sender: str,
    now: datetime | None = None,
    message_id_domain: str | None = None,
) -> EmailMessage:
    """The shipment confirmation for ``order``'s customer: carrier, service, tracking number
    and link, items, ship-to address and the notes to the buyer."""
    return _render("shipment", branding, order, shipment, sender, now, message_id_domain)


def render_delivery_email(
    *,
    branding: Branding,
    order: OrderRecord,
    shipment: ShipmentDetails,
    sender: str,
    now: datetime | None = None,
    message_id_domain: str | None = None,
) -> EmailMessage:
    """The delivery confirmation for ``order``'s customer, with the same details."""
    return _render("delivery", branding, order, shipment, sender, now, message_id_domain)


def _clean(value: object) -> str:
    return "" if value is None else str(value).strip()


def _one_line(value: object) -> str:
    """Text fit for a header: line breaks and runs of whitespace as one space."""
    return " ".join(_clean(value).split())


def _address(
    display_name: str, addr_spec: str, role: str, error: type[MailError] = MailError
) -> Address:
    if not addr_spec:
        raise error(f"there is no {role} address")
    try:
        return Address(display_name=display_name, addr_spec=addr_spec)
    except (ValueError, HeaderParseError) as problem:
        raise error(f"the {role} address {addr_spec!r} is not valid: {problem}") from None


_HEADERS = HeaderRegistry()


def parse_mailbox(text: str, role: str) -> Address:
    """One address, bare (``help@eagle.test``) or with a name (``Help <help@eagle.test>``):
    the rule for the address settings, applied where they are set and where they are used."""
    text = _clean(text)
    if not text:
        raise MailError(f"there is no {role} address")
    try:  # parsed as an address header, whose parser raises IndexError or ValueError on junk
        header = _HEADERS("to", text)
        addresses, defects = header.addresses, header.defects  # type: ignore[attr-defined]
    except (IndexError, ValueError):
        addresses, defects = (), ()
    if len(addresses) != 1 or defects:
        raise MailError(
            f"the {role} address {text!r} is not valid: write one address, such as "
            "help@example.com or Help <help@example.com>"
        )
    [address] = addresses
    if not (address.username and address.domain):
        raise MailError(f"the {role} address {text!r} is not valid: it needs a name@domain part")
    return address


def _tracking_url(carrier: str, number: str) -> str | None:
    """The carrier's tracking page for ``number``, or None for a carrier without one here."""
    try:
        return carriers.tracking_url(carrier, number)
    except ValueError:
        return None


def _item(item: ItemRecord) -> dict[str, str]:
    return {key: _clean(item.get(key)) for key in ("name", "design", "color", "size", "quantity")}


def _render(
    kind: str,
    branding: Branding,
    order: OrderRecord,
    shipment: ShipmentDetails,
    sender: str,
    now: datetime | None,
    message_id_domain: str | None,
) -> EmailMessage:
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        raise ValueError("now must be a timezone-aware datetime")
    number = _one_line(order["order_number"])
    customer_email = _clean(order.get("customer_email"))
    if not customer_email:
        raise RecipientError(f"order {number} has no customer e-mail address")
    brand = _one_line(branding.get("name"))
    reply_to = _clean(branding.get("reply_to"))
    carrier = _clean(shipment["carrier"])
    tracking = _clean(shipment["tracking_number"])
    context = {
        "brand_name": brand,
        "reply_to": reply_to,
        "order_number": number,
        "carrier": carrier,
        "service": _clean(shipment.get("service")),
        "tracking_number": tracking,
        "tracking_url": _tracking_url(carrier, tracking),
        "items": [_item(i) for i in order.get("items") or [] if not i.get("adjustment")],
        "ship_to_lines": carriers.Address.from_record(order.get("ship_to") or {}).lines(),
        "notes_to_buyer": _clean(shipment.get("notes_to_buyer")),
    }

    message = EmailMessage()
    from_brand = f" from {brand}" if brand else ""
    message["Subject"] = f"Your order {number}{from_brand} {_SUBJECT_ENDINGS[kind]}"
    sender_address = parse_mailbox(sender, "sender")
    if not sender_address.display_name:
        sender_address = Address(brand, sender_address.username, sender_address.domain)
    message["From"] = sender_address
    message["To"] = _address("", customer_email, f"order {number}'s customer", RecipientError)
    if reply_to:
        message["Reply-To"] = parse_mailbox(reply_to, "reply-to")
    message["Date"] = format_datetime(now)
    message["Message-ID"] = _message_id(
        kind, number, tracking, now, message_id_domain or sender_address.domain
    )
    message["X-Order-Number"] = number
    message["X-Notification"] = kind
    text = templates().get_template(f"{kind}.txt").render(context)
    html = templates().get_template(f"{kind}.html").render(context)
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    return message


def _message_id(kind: str, number: str, tracking: str, now: datetime, domain: str) -> str:
    """Deterministic for the same e-mail at the same instant, distinct otherwise."""
    seed = "\0".join((kind, number, tracking, now.isoformat()))
    digest = hashlib.sha256(seed.encode()).hexdigest()[:16]
    return f"<{now.astimezone(timezone.utc):%Y%m%d%H%M%S}.{kind}.{digest}@{domain}>"


# --- Transports -------------------------------------------------------------------------------


def _slug(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", value).strip("_")[:40]


def _write_atomically(path: Path, data: bytes) -> None:
    """Readers see the whole file or none: written beside it, then renamed into place."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


@dataclass(frozen=True)
class OutboxTransport:
    """Writes each message as ``<UTC date>-<order>-<kind>-<8 hex>.eml`` into ``folder``."""

    folder: Path

    def send(self, msg: EmailMessage) -> Path:
        folder = Path(self.folder)
        date = msg["Date"].datetime if msg["Date"] else datetime.now(timezone.utc)
        stamp = date.astimezone(timezone.utc) if date.tzinfo else date.replace(tzinfo=timezone.utc)
        labels = [_slug(str(msg[h])) for h in ("X-Order-Number", "X-Notification") if msg[h]]
        name = "-".join([f"{stamp:%Y%m%dT%H%M%SZ}", *labels, secrets.token_hex(4)]) + ".eml"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _write_atomically(folder / name, msg.as_bytes(policy=email.policy.SMTP))
        except OSError as error:
            raise MailError(f"cannot write the e-mail into the outbox {folder}: {error}") from error
        return folder / name


def _describe(error: OSError) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error
        text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
        return f"the server answered {error.smtp_code} {text}"
    return str(error) or type(error).__name__


@dataclass(frozen=True)
class SmtpTransport:
    """Sends through ``host:port``, upgraded with STARTTLS when asked, logged in when a
    ``username`` is given."""

    host: str
    port: int = 25
    _: KW_ONLY
    starttls: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 10

    def send(self, msg: EmailMessage) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(msg)
        except OSError as error:  # smtplib.SMTPException and ssl.SSLError are OSErrors
            raise MailError(
                f"cannot send the e-mail through {self.host}:{self.port}: {_describe(error)}"
            ) from error
