"""The carrier simulator: services, rates, tracking numbers with check digits, 4×6 ZPL labels.

Everything here is deterministic. A tracking number is a function of the carrier, the service,
the shipper account and a serial, in the carrier's real format with a valid check digit; a rate
is a function of the service, the weight and the destination. No network, no clock.

Carrier and service names are matched case-insensitively and returned as spelt in
:data:`CARRIERS` (``UPS``, ``USPS``, ``FedEx``, ``DHL``; ``UPS Ground``…).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from urllib.parse import quote as quote_url

__all__ = [
    "CARRIERS",
    "Address",
    "Carrier",
    "CarrierSimulator",
    "Label",
    "LabelError",
    "Service",
    "find_carrier",
    "find_service",
    "is_valid_tracking_number",
    "parse_carrier_service",
    "quote",
    "render_zpl_label",
    "tracking_number",
    "tracking_url",
]


class LabelError(ValueError):
    """A label cannot be created for an order; the message names the order and the reason."""


@dataclass(frozen=True)
class Service:
    carrier: str
    name: str
    code: str | None
    """What the carrier writes in its tracking numbers: the UPS service code, the USPS IMpb
    service type code; None for carriers whose numbers do not carry the service."""
    base: Decimal
    per_lb: Decimal
    """The rate in the nearest zone: ``base`` plus ``per_lb`` for each started pound."""


@dataclass(frozen=True)
class Carrier:
    name: str
    max_weight_lb: int
    tracking_url: str
    """The carrier's public tracking page; the tracking number is appended."""
    default_shipper: str | None
    """The simulated shipper account in tracking numbers (UPS shipper number, USPS mailer ID)."""
    services: tuple[Service, ...]


def _carrier(
    name: str,
    max_weight_lb: int,
    tracking_url: str,
    default_shipper: str | None,
    services: list[tuple[str, str | None, str, str]],
) -> Carrier:
    return Carrier(
        name,
        max_weight_lb,
        tracking_url,
        default_shipper,
        tuple(Service(name, s, code, Decimal(b), Decimal(p)) for s, code, b, p in services),
    )


CARRIERS: Mapping[str, Carrier] = MappingProxyType(
    {
        carrier.name: carrier
        for carrier in (
            _carrier(
                "UPS",
                150,
                "https://www.ups.com/track?tracknum=",
                "7X4R2E",
                [
                    ("UPS Ground", "03", "8.50", "1.10"),
                    ("UPS 2nd Day Air", "02", "17.90", "2.40"),
                    ("UPS Next Day Air", "01", "32.00", "4.10"),
                ],
            ),
            _carrier(
                "USPS",
                70,
                "https://tools.usps.com/go/TrackConfirmAction?tLabels=",
                "902345678",
                [
                    ("USPS Ground Advantage", "001", "5.40", "0.95"),
                    ("USPS First Class Mail", "001", "4.50", "0.90"),
                    ("USPS Priority Mail", "055", "8.70", "1.60"),
                    ("USPS Priority Mail Express", "701", "28.75", "3.90"),
                ],
            ),
            _carrier(
                "FedEx",
                150,
                "https://www.fedex.com/fedextrack/?trknbr=",
                None,
                [
                    ("FedEx Ground", None, "8.90", "1.05"),
                    ("FedEx Home Delivery", None, "9.40", "1.05"),
                    ("FedEx 2Day", None, "19.50", "2.30"),
                    ("FedEx Standard Overnight", None, "34.00", "4.20"),
                ],
            ),
            _carrier(
                "DHL",
                150,
                "https://www.dhl.com/us-en/home/tracking/tracking-express.html?submit=1&tracking-id=",
                None,
                [("DHL Express Worldwide", None, "39.00", "4.80")],
            ),
        )
    }
)


def find_carrier(name: str) -> Carrier:
    """The carrier called ``name`` (any case); ValueError naming the known ones otherwise."""
    for carrier in CARRIERS.values():
        if carrier.name.casefold() == name.strip().casefold():
            return carrier
    raise ValueError(f"unknown carrier {name!r}; known carriers: {', '.join(CARRIERS)}")


def find_service(carrier: str, service: str) -> Service:
    """The ``carrier``'s service called ``service`` (any case); ValueError otherwise."""
    known = find_carrier(carrier).services
    for candidate in known:
        if candidate.name.casefold() == service.strip().casefold():
            return candidate
    names = ", ".join(s.name for s in known)
    raise ValueError(f"unknown {known[0].carrier} service {service!r}; known services: {names}")


def parse_carrier_service(text: str) -> tuple[str, str]:
    """``"UPS/UPS Ground"`` as ``("UPS", "UPS Ground")``, checked against :data:`CARRIERS`."""
    carrier, slash, service = text.partition("/")
    if not (slash and carrier.strip() and service.strip()):
        raise ValueError(f"expected CARRIER/SERVICE such as 'UPS/UPS Ground', got {text!r}")
    found = find_service(carrier, service)
    return found.carrier, found.name


def tracking_url(carrier: str, number: str) -> str:
    """The carrier's public tracking page for ``number``."""
    return find_carrier(carrier).tracking_url + quote_url(number.strip(), safe="")


# --- Tracking numbers -------------------------------------------------------------------------


def _ups_check(body: str) -> int:
    """UPS: letters become digits (A=2, B=3… I=0…), odd positions + 2 × even positions."""
    values = [int(c) if c.isdigit() else (ord(c) - 63) % 10 for c in body]
    return (10 - (sum(values[0::2]) + 2 * sum(values[1::2])) % 10) % 10


def _mod10_check(digits: str) -> int:
    """USPS IMpb (the GS1 rule): weights 3, 1, 3… from the right."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def _fedex_check(digits: str) -> int:
    """FedEx Express: weights 1, 3, 7… from the right, sum mod 11, 10 written as 0."""
    return sum(int(d) * (1, 3, 7)[i % 3] for i, d in enumerate(reversed(digits))) % 11 % 10


def _dhl_check(digits: str) -> int:
    """DHL Express: the number itself mod 7."""
    return int(digits) % 7


@dataclass(frozen=True)
class _Format:
    pattern: re.Pattern[str]
    template: str
    """The number without its check digit, from ``code``, ``shipper`` and ``serial``."""
    serial_digits: int
    shipper: re.Pattern[str] | None
    check_from: int
    """Where the characters the check digit covers start (they end before the check digit)."""
    check: Callable[[str], int]


_FORMATS = {
    # 1Z + shipper number (6) + service code (2) + package reference (7) + check: 18 characters.
    "UPS": _Format(
        re.compile(r"1Z[0-9A-Z]{15}[0-9]"),
        "1Z{shipper}{code}{serial}",
        7,
        re.compile(r"[0-9A-Z]{6}"),
        2,
        _ups_check,
    ),
    # IMpb: application identifier 92 + service type code (3) + mailer ID (9) + serial (7) +
    # check: 22 digits. Numbers with any IMpb application identifier (91-95) validate.
    "USPS": _Format(
        re.compile(r"9[1-5][0-9]{20}"),
        "92{code}{shipper}{serial}",
        7,
        re.compile(r"[0-9]{9}"),
        0,
        _mod10_check,
    ),
    # FedEx Express 12 digits: 11 + check.
    "FedEx": _Format(re.compile(r"[0-9]{12}"), "7{serial}", 10, None, 0, _fedex_check),
    # DHL Express waybill, 10 digits: 9 + check.
    "DHL": _Format(re.compile(r"[0-9]{10}"), "3{serial}", 8, None, 0, _dhl_check),
}


def tracking_number(
    carrier: str, serial: int, *, service: str | None = None, shipper: str | None = None
) -> str:
    """The ``serial``-th tracking number of ``shipper``'s account with ``carrier``.

    ``service`` (default: the carrier's first) matters where the number carries it (UPS, USPS);
    ``shipper`` (default: the simulated account) is the UPS shipper number (6 characters) or
    the USPS mailer ID (9 digits); FedEx and DHL numbers carry none.
    """
    found = find_carrier(carrier)
    number_format = _FORMATS[found.name]
    chosen = find_service(found.name, service) if service else found.services[0]
    if not 0 <= serial < 10**number_format.serial_digits:
        raise ValueError(
            f"{found.name} serials run from 0 to {10**number_format.serial_digits - 1}, "
            f"got {serial}"
        )
    if number_format.shipper is None:
        if shipper is not None:
            raise ValueError(f"{found.name} tracking numbers carry no shipper account")
    else:
        shipper = found.default_shipper if shipper is None else shipper
        if shipper is None or not number_format.shipper.fullmatch(shipper):
            raise ValueError(
                f"{shipper!r} is not a {found.name} shipper account "
                f"(expected {number_format.shipper.pattern})"
            )
    number = number_format.template.format(
        code=chosen.code, shipper=shipper, serial=f"{serial:0{number_format.serial_digits}d}"
    )
    return f"{number}{number_format.check(number[number_format.check_from :])}"


def is_valid_tracking_number(carrier: str, number: str) -> bool:
    """Whether ``number`` has ``carrier``'s format and check digit (spaces are ignored)."""
    number_format = _FORMATS[find_carrier(carrier).name]
    number = "".join(number.split()).upper()
    if not number_format.pattern.fullmatch(number):
        return False
    return number_format.check(number[number_format.check_from : -1]) == int(number[-1])


# --- Rates ------------------------------------------------------------------------------------

_CENT = Decimal("0.01")
_ORIGIN_ZIP_REGION = 4
"""The simulated warehouse's ZIP region (first digit); US zones count regions from it."""
_ZONE_STEP = Decimal("0.12")
_INTERNATIONAL_ZONE = 8
_SURCHARGES = {"CA": Decimal("9.50")}
_INTERNATIONAL_SURCHARGE = Decimal("24.00")
_US_ZIP = re.compile(r"[0-9]{5}(-[0-9]{4})?")


def _zone_and_surcharge(country: str, postal_code: str) -> tuple[int, Decimal]:
    country = country.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise ValueError(f"{country!r} is not an ISO 3166-1 alpha-2 country code")
    if country != "US":
        return _INTERNATIONAL_ZONE, _SURCHARGES.get(country, _INTERNATIONAL_SURCHARGE)
    if not _US_ZIP.fullmatch(postal_code.strip()):
        raise ValueError(f"{postal_code!r} is not a US ZIP code")
    return 1 + abs(int(postal_code.strip()[0]) - _ORIGIN_ZIP_REGION), Decimal(0)


def quote(carrier: str, service: str, weight_oz: float, country: str, postal_code: str) -> Decimal:
    """The carrier fee, in dollars to the cent, for a parcel of ``weight_oz`` ounces.

    Billed per started pound; US zones come from the first digit of the ZIP code, Canada and
    the rest of the world are the farthest zone with a surcharge.
    """
    chosen = find_service(carrier, service)
    limit = find_carrier(carrier).max_weight_lb
    if not (math.isfinite(weight_oz) and weight_oz > 0):
        raise ValueError(f"the weight must be more than 0 oz, got {weight_oz}")
    if weight_oz > limit * 16:
        raise ValueError(f"{weight_oz} oz is over the {chosen.carrier} limit of {limit} lb")
    pounds = math.ceil(weight_oz / 16)
    zone, surcharge = _zone_and_surcharge(country, postal_code)
    price = (chosen.base + chosen.per_lb * pounds) * (1 + _ZONE_STEP * (zone - 1)) + surcharge
    return price.quantize(_CENT, ROUND_HALF_UP)


# --- Labels -----------------------------------------------------------------------------------


def _clean(value: object) -> str:
    return "" if value is None else str(value).strip()


@dataclass(frozen=True)
class Address:
    name: str = ""
    company: str = ""
    street1: str = ""
    street2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""
    phone: str = ""

    @classmethod
    def from_record(cls, record: Mapping[str, object]) -> Address:
        """From the connector's canonical keys; missing or None values become ``""``."""
        return cls(**{f.name: _clean(record.get(f.name)) for f in fields(cls)})

    def lines(self) -> list[str]:
        """As printed: name, company, streets, ``City, ST 12345``, country; blanks left out."""
        region = " ".join(p for p in (self.state, self.postal_code) if p)
        city = ", ".join(p for p in (self.city, region) if p)
        candidates = (self.name, self.company, self.street1, self.street2, city, self.country)
        return [line for line in candidates if line]


@dataclass(frozen=True)
class Label:
    carrier: str
    service: str
    tracking_number: str
    carrier_fee: Decimal
    weight_oz: float
    order_number: str
    created_at: datetime


_REQUIRED_ADDRESS_PARTS = ("street1", "city", "postal_code", "country")


class CarrierSimulator:
    """Creates labels as the carriers would; ``shippers`` overrides the simulated accounts
    (``{"UPS": "A1B2C3", "USPS": "901234567"}``)."""

    def __init__(self, shippers: Mapping[str, str] | None = None) -> None:
        self._shippers = {find_carrier(c).name: s for c, s in (shippers or {}).items()}

    def create_label(
        self,
        *,
        order_number: str,
        carrier: str,
        service: str,
        weight_oz: float,
        ship_to: Address,
        serial: int,
        created_at: datetime,
    ) -> Label:
        """A label for one parcel; :class:`LabelError` naming what is missing or wrong."""
        missing = [part for part in _REQUIRED_ADDRESS_PARTS if not getattr(ship_to, part)]
        if missing:
            raise LabelError(
                f"cannot create a label for order {order_number}: "
                f"the ship-to address has no {', '.join(missing)}"
            )
        try:
            chosen = find_service(carrier, service)
            fee = quote(carrier, service, weight_oz, ship_to.country, ship_to.postal_code)
            number = tracking_number(
                chosen.carrier,
                serial,
                service=chosen.name,
                shipper=self._shippers.get(chosen.carrier),
            )
        except ValueError as error:
            raise LabelError(f"cannot create a label for order {order_number}: {error}") from error
        return Label(chosen.carrier, chosen.name, number, fee, weight_oz, order_number, created_at)


_ZPL_WIDTH = 812  # 4 in at 203 dpi
_ZPL_LENGTH = 1218  # 6 in at 203 dpi
_MARGIN = 40


def _zpl_text(value: object) -> str:
    """Free text made safe for a ``^FD`` field: ``^`` and ``~`` (ZPL's command prefixes) taken
    out, control characters as spaces, whitespace collapsed."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", _clean(value).replace("^", "").replace("~", ""))
    return " ".join(text.split())


def _zpl_field(y: int, height: int, text: object) -> str:
    """One line of text in font 0, kept inside the label's width by a one-line field block."""
    width = _ZPL_WIDTH - 2 * _MARGIN
    return f"^FO{_MARGIN},{y}^A0N,{height},{height}^FB{width},1,0,L^FD{_zpl_text(text)}^FS"


def _zpl_rule(y: int) -> str:
    return f"^FO{_MARGIN},{y}^GB{_ZPL_WIDTH - 2 * _MARGIN},3,3^FS"


def render_zpl_label(label: Label, ship_from: Address, ship_to: Address) -> str:
    """A 4×6 in ZPL II label at 203 dpi: ship-from, ship-to, carrier and service, a Code 128
    barcode of the tracking number, the weight, the ship date and the order number."""
    commands = ["^XA", "^CI28", f"^PW{_ZPL_WIDTH}", f"^LL{_ZPL_LENGTH}", "^LH0,0"]
    commands += [_zpl_field(30 + 28 * i, 24, line) for i, line in enumerate(ship_from.lines())]
    commands += [_zpl_rule(210), _zpl_field(230, 28, "SHIP TO:")]
    commands += [_zpl_field(270 + 42 * i, 36, line) for i, line in enumerate(ship_to.lines())]
    commands += [
        _zpl_rule(540),
        _zpl_field(560, 56, label.carrier),
        _zpl_field(625, 40, label.service),
        _zpl_rule(690),
        _zpl_field(710, 28, f"TRACKING #: {label.tracking_number}"),
        f"^FO{_MARGIN + 20},760^BY2^BCN,220,Y,N,N,A^FD{_zpl_text(label.tracking_number)}^FS",
        _zpl_rule(1040),
        _zpl_field(1060, 30, f"WEIGHT: {label.weight_oz:.1f} OZ"),
        _zpl_field(1100, 30, f"SHIP DATE: {label.created_at:%Y-%m-%d}"),
        _zpl_field(1140, 30, f"REF: ORDER {label.order_number}"),
        "^XZ",
    ]
    return "\n".join(commands) + "\n"
