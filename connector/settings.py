"""Store settings: the defaults, dotted keys (``--set KEY=VALUE``), validation and display.

Only the values a user has set are stored; everything else is the default, so a new default
reaches existing stores. ``service_mapping.<requested service>`` is the one open family of keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from connector import mail
from connector.carriers import parse_carrier_service
from connector.exceptions import UsageError

STATUSES = ("awaiting_payment", "awaiting_shipment", "on_hold", "shipped", "cancelled")

DEFAULT_STATUS_MAPPING = {
    "awaiting_payment": ["Unauthorized", "Pending Approval"],
    "awaiting_shipment": ["Open", "Ready to Ship"],
    "on_hold": ["On Hold"],
    "shipped": ["Shipped", "Completed"],
    "cancelled": ["Canceled"],
}

DEFAULT_SERVICE_MAPPING = {
    "default": "USPS/USPS Priority Mail",
    "Standard Shipping": "USPS/USPS Priority Mail",
    "USPS First Class": "USPS/USPS First Class Mail",
    "USPS First Class Mail": "USPS/USPS First Class Mail",
    "USPS Priority Mail": "USPS/USPS Priority Mail",
    "USPS Priority Mail Express": "USPS/USPS Priority Mail Express",
    "UPS Ground": "UPS/UPS Ground",
    "UPS 2nd Day Air": "UPS/UPS 2nd Day Air",
    "UPS Next Day Air": "UPS/UPS Next Day Air",
    "FedEx Ground": "FedEx/FedEx Ground",
    "FedEx 2Day": "FedEx/FedEx 2Day",
    "FedEx Standard Overnight": "FedEx/FedEx Standard Overnight",
}

SERVICE_PREFIX = "service_mapping."
MASK = "********"
TRUE_WORDS = {"true", "yes", "on", "1"}
FALSE_WORDS = {"false", "no", "off", "0"}


def parse_bool(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError("must be true or false")


def int_between(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            number = int(text.strip())
        except ValueError:
            raise ValueError("must be a whole number") from None
        if not low <= number <= high:
            raise ValueError(f"must be from {low} to {high}")
        return number

    return parse


def text(value: str) -> str:
    return value.strip()


def address(value: str) -> str:
    """Empty, or one e-mail address as the e-mails use it (a display name is welcome)."""
    value = value.strip()
    if value:
        try:
            mail.parse_mailbox(value, "e-mail")
        except mail.MailError:
            raise ValueError(
                "must be an e-mail address, such as help@example.com or Help <help@example.com>"
            ) from None
    return value


def one_of(*choices: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.strip() not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return value.strip()

    return parse


def status_list(value: str) -> list[str]:
    """``On Hold, Awaiting Artwork`` as a list; case and inner spaces are kept."""
    statuses: list[str] = []
    for status in (part.strip() for part in value.split(",")):
        if status and status not in statuses:
            statuses.append(status)
    return statuses


def carrier_service(value: str) -> str:
    """``UPS/UPS Ground``: a carrier and one of its services, as the carriers module knows them."""
    carrier, slash, service = value.strip().partition("/")
    if not (slash and carrier.strip() and service.strip()):
        raise ValueError("must be CARRIER/SERVICE, such as UPS/UPS Ground")
    try:
        carrier, service = parse_carrier_service(f"{carrier.strip()}/{service.strip()}")
    except ValueError as problem:
        raise ValueError(f"must name a known carrier and service ({problem})") from None
    return f"{carrier}/{service}"


def secret(value: str) -> str:
    return value


@dataclass(frozen=True)
class Setting:
    default: Any
    parse: Callable[[str], Any]
    secret: bool = False


SETTINGS: dict[str, Setting] = {
    "branding.name": Setting(None, text),
    "branding.reply_to": Setting("", address),
    "notifications.shipment_email": Setting(True, parse_bool),
    "notifications.delivery_email": Setting(True, parse_bool),
    "products.create_from_sku": Setting(True, parse_bool),
    "products.fill_missing": Setting(True, parse_bool),
    **{
        f"status_mapping.{status}": Setting(DEFAULT_STATUS_MAPPING[status], status_list)
        for status in STATUSES
    },
    "service_mapping.default": Setting(DEFAULT_SERVICE_MAPPING["default"], carrier_service),
    "email.transport": Setting("outbox", one_of("outbox", "smtp")),
    "email.from": Setting("", address),
    "email.smtp_host": Setting("", text),
    "email.smtp_port": Setting(25, int_between(1, 65535)),
    "email.smtp_starttls": Setting(False, parse_bool),
    "email.smtp_username": Setting("", text),
    "email.smtp_password": Setting("", secret, secret=True),
    "import.initial_days": Setting(30, int_between(1, 3650)),
    "import.safety_margin_minutes": Setting(10, int_between(0, 1440)),
}


def is_secret(key: str) -> bool:
    setting = SETTINGS.get(key)
    return bool(setting and setting.secret)


def parse_assignments(assignments: Iterable[str]) -> dict[str, Any]:
    """``["KEY=VALUE", …]`` as ``{key: typed value}``; a UsageError names each bad one.

    An empty ``service_mapping.<service>`` removes that entry (stored as None).
    """
    changes: dict[str, Any] = {}
    for assignment in assignments:
        key, equals, raw = assignment.partition("=")
        key = key.strip()
        if not equals:
            raise UsageError(f"Write a setting as KEY=VALUE, not {assignment!r}.")
        changes[key] = parse_value(key, raw)
    return changes


def parse_value(key: str, raw: str) -> Any:
    if key.startswith(SERVICE_PREFIX) and key not in SETTINGS:
        if not key[len(SERVICE_PREFIX) :].strip():
            raise UsageError(
                "Name the requested service: service_mapping.<service>=CARRIER/SERVICE."
            )
        parse: Callable[[str], Any] = carrier_service
        if not raw.strip():
            return None
    elif key in SETTINGS:
        parse = SETTINGS[key].parse
    else:
        raise UsageError(
            f"Unknown setting {key!r}. Known settings: {', '.join(SETTINGS)}, "
            f"{SERVICE_PREFIX}<requested service>."
        )
    try:
        return parse(raw)
    except ValueError as problem:
        raise UsageError(f"The setting {key} {problem}, not {raw.strip()!r}.") from None


def effective(stored: Mapping[str, Any], store_name: str) -> dict[str, Any]:
    """Every setting, flat: the stored values over the defaults (secrets as stored)."""
    flat: dict[str, Any] = {key: setting.default for key, setting in SETTINGS.items()}
    flat["branding.name"] = store_name
    flat.update({SERVICE_PREFIX + name: value for name, value in DEFAULT_SERVICE_MAPPING.items()})
    flat.update(stored)
    return {key: value for key, value in flat.items() if value is not None}


def check_status_mapping(flat: Mapping[str, Any]) -> None:
    """Each InkSoft status may map to one ShipStation status only."""
    seen: dict[str, str] = {}
    for status in STATUSES:
        for inksoft_status in flat[f"status_mapping.{status}"]:
            if inksoft_status in seen:
                raise UsageError(
                    f"The InkSoft status {inksoft_status!r} is mapped to both "
                    f"{seen[inksoft_status]} and {status}; map it to one ShipStation status."
                )
            seen[inksoft_status] = status


def status_lookup(flat: Mapping[str, Any]) -> dict[str, str]:
    """InkSoft status → ShipStation status (case-sensitive)."""
    return {
        inksoft_status: status
        for status in STATUSES
        for inksoft_status in flat[f"status_mapping.{status}"]
    }


def nested(flat: Mapping[str, Any], *, mask_secrets: bool = True) -> dict[str, Any]:
    """``{"branding": {"name": …}, …}``; secrets shown as ``********`` when set."""
    tree: dict[str, Any] = {}
    for key, value in flat.items():
        section, _, name = key.partition(".")
        if mask_secrets and is_secret(key) and value:
            value = MASK
        tree.setdefault(section, {})[name] = value
    return tree
