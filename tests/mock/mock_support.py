"""Shared helpers of the mock's tests: the fixed clock, credentials, parsing and schemas."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests
from lxml import etree

from mock_inksoft.config import DEFAULT_ACCOUNT
from safexml import parse_xml

ROOT = Path(__file__).resolve().parents[2]
FIXED_NOW = datetime(2026, 3, 8, 15, 30, tzinfo=timezone.utc)
AUTH = (DEFAULT_ACCOUNT.username, DEFAULT_ACCOUNT.password)
ENDPOINT = f"/{DEFAULT_ACCOUNT.publisher_id}/shipstation"
EVERYTHING = {"start_date": "01/01/2000 00:00", "end_date": "12/31/2099 23:59"}
XML_CONTENT_TYPE = "text/xml; charset=utf-8"


class Clock:
    """The mock's clock, fixed at ``FIXED_NOW`` until a test moves it."""

    def __init__(self) -> None:
        self.now = FIXED_NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def export_params(**extra: object) -> dict:
    return {"action": "export", **EVERYTHING, **extra}


def order_numbers(document: bytes) -> list[str]:
    return [n.text for n in parse_xml(document).iter("OrderNumber")]


def error_code(document: bytes) -> str:
    root = parse_xml(document)
    assert root.tag == "Error"
    assert root.findtext("Message")
    return root.findtext("Code")


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(ROOT / "fixtures" / name)))


def ship_notice(
    order_id: str | None = "1048001",
    carrier: str | None = "UPS",
    tracking: str | None = "1Z999AA10123456784",
    lines: list[str] | None = None,
    extra: str = "",
) -> bytes:
    """A ``<ShipNotice>`` body; ``None`` leaves an element out, ``lines`` lists LineItemIDs."""
    parts = ['<?xml version="1.0" encoding="utf-8"?><ShipNotice>']
    if order_id is not None:
        parts.append(f"<OrderNumber>{order_id}</OrderNumber><OrderID>{order_id}</OrderID>")
    parts.append("<CustomerCode>jane@example.com</CustomerCode>")
    parts.append("<NotesToCustomer>Thanks &amp; enjoy!</NotesToCustomer>")
    parts.append("<NotifyCustomer>false</NotifyCustomer>")
    parts.append(
        "<LabelCreateDate>03/07/2026 16:05</LabelCreateDate><ShipDate>03/07/2026</ShipDate>"
    )
    if carrier is not None:
        parts.append(f"<Carrier>{carrier}</Carrier>")
    parts.append("<Service>UPS Ground</Service>")
    if tracking is not None:
        parts.append(f"<TrackingNumber>{tracking}</TrackingNumber>")
    parts.append("<ShippingCost>9.42</ShippingCost>")
    if lines is not None:
        items = "".join(f"<Item><LineItemID>{line}</LineItemID></Item>" for line in lines)
        parts.append(f"<Items>{items}</Items>")
    parts.append(extra)
    parts.append("</ShipNotice>")
    return "".join(parts).encode()


def notify_params(order_number: str = "1048001", **extra: str) -> dict:
    return {
        "action": "shipnotify",
        "order_number": order_number,
        "carrier": "UPS",
        "service": "UPS Ground",
        "tracking_number": "1Z999AA10123456784",
        **extra,
    }


def wait_until_healthy(url: str, timeout: float = 10.0) -> None:
    """Poll the health endpoint (readiness is asked for, never slept for)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/__admin/health", timeout=1).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.01)
    raise RuntimeError(f"the mock at {url} never became healthy")
