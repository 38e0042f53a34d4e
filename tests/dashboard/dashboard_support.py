"""Shared helpers of the dashboard's tests: the fixed clock, HTML reading, a shipment notice."""

from __future__ import annotations

from datetime import datetime, timezone

from lxml import html
from werkzeug.test import TestResponse

from mock_inksoft.config import DEFAULT_ACCOUNT

FIXED_NOW = datetime(2026, 3, 8, 15, 30, tzinfo=timezone.utc)
TOKEN = "s3cret-token"
AUTH = (DEFAULT_ACCOUNT.username, DEFAULT_ACCOUNT.password)
ENDPOINT = f"/{DEFAULT_ACCOUNT.publisher_id}/shipstation"


def page(response: TestResponse) -> html.HtmlElement:
    """The response's HTML document (asserting it is one)."""
    assert response.mimetype == "text/html", response.data[:200]
    return html.fromstring(response.get_data(as_text=True))


def text(element: html.HtmlElement) -> str:
    """The element's text, whitespace normalised (a ``<br>`` reads as a space)."""
    return " ".join(" ".join(element.itertext()).split())


def texts(document: html.HtmlElement, xpath: str) -> list[str]:
    return [text(element) for element in document.xpath(xpath)]


def rows(document: html.HtmlElement, table: str) -> list[list[str]]:
    """The cell texts of the body rows of the tables ``table`` (an XPath) finds."""
    return [[text(td) for td in tr.xpath("td")] for tr in document.xpath(f"{table}/tbody/tr")]


def table_rows(document: html.HtmlElement, section: str) -> list[list[str]]:
    """The body rows of the table in the section with this id."""
    return rows(document, f'//section[@id="{section}"]//table')


def table_after(document: html.HtmlElement, heading: str) -> list[list[str]]:
    """The body rows of the first table after the ``<h2>`` with this text."""
    return rows(document, f"//h2[.='{heading}']/following-sibling::table[1]")


def alert(document: html.HtmlElement) -> str:
    (message,) = texts(document, '//*[@role="alert"]')
    return message


def flashed(document: html.HtmlElement) -> list[str]:
    return texts(document, '//p[@class="flash"]')


def ship_notice(order_id: str, carrier: str = "UPS", tracking: str = "1Z999AA10123456784") -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<ShipNotice>
  <OrderNumber>{order_id}</OrderNumber>
  <OrderID>{order_id}</OrderID>
  <NotesToCustomer>Thanks &amp; enjoy!</NotesToCustomer>
  <Carrier>{carrier}</Carrier>
  <Service>UPS Ground</Service>
  <TrackingNumber>{tracking}</TrackingNumber>
  <ShippingCost>9.42</ShippingCost>
</ShipNotice>""".encode()


def ship_params(order_id: str, carrier: str = "UPS", tracking: str = "1Z999AA10123456784") -> dict:
    return {
        "action": "shipnotify",
        "order_number": order_id,
        "carrier": carrier,
        "service": "UPS Ground",
        "tracking_number": tracking,
    }
