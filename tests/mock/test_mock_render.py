"""The rendered XML: valid against the schemas across many seeds; free text survives exactly."""

from __future__ import annotations

import copy
import re

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from mock_support import AUTH, ENDPOINT, FIXED_NOW, ROOT, export_params, schema

from mock_inksoft import create_app
from mock_inksoft.render import cdata
from safexml import parse_xml

FEED = schema("inksoft-feed.xsd")
SHIPSTATION = schema("shipstation-custom-store.xsd")
SHIP_NOTICE = schema("shipnotice.xsd")
PROTOCOL = ROOT / "fixtures" / "protocol.md"  # the project's copy of the shared spec
XML_1_0 = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

PROTOCOL_ORDERS = """<?xml version="1.0" encoding="utf-8"?>
<Orders pages="3">
  <Order>
    <OrderID><![CDATA[1048231]]></OrderID>
    <OrderNumber><![CDATA[1048231]]></OrderNumber>
    <OrderDate>03/05/2026 14:22</OrderDate>
    <OrderStatus><![CDATA[Ready to Ship]]></OrderStatus>
    <LastModified>03/06/2026 09:10</LastModified>
    <ShippingMethod><![CDATA[UPS Ground]]></ShippingMethod>
    <PaymentMethod><![CDATA[Credit Card]]></PaymentMethod>
    <OrderTotal>44.87</OrderTotal>
    <TaxAmount>3.52</TaxAmount>
    <ShippingAmount>8.95</ShippingAmount>
    <CustomerNotes><![CDATA[Please ship before the tournament & thanks!]]></CustomerNotes>
    <InternalNotes><![CDATA[Screen print run #44]]></InternalNotes>
    <Gift>true</Gift>
    <GiftMessage><![CDATA[Go team!]]></GiftMessage>
    <CustomField1><![CDATA[SPRING10]]></CustomField1>
    <Weight>12.2</Weight>
    <WeightUnits>Ounces</WeightUnits>
    <Customer>
      <CustomerCode><![CDATA[jane@example.com]]></CustomerCode>
      <BillTo>
        <Name><![CDATA[Jane Doe]]></Name>
        <Phone><![CDATA[555-123-4567]]></Phone>
        <Email><![CDATA[jane@example.com]]></Email>
      </BillTo>
      <ShipTo>
        <Name><![CDATA[Jane Doe]]></Name>
        <Address1><![CDATA[12 Main St]]></Address1>
        <Address2><![CDATA[Apt 4]]></Address2>
        <City><![CDATA[Austin]]></City>
        <State><![CDATA[TX]]></State>
        <PostalCode><![CDATA[78701]]></PostalCode>
        <Country><![CDATA[US]]></Country>
        <Phone><![CDATA[555-123-4567]]></Phone>
      </ShipTo>
    </Customer>
    <Items>
      <Item>
        <LineItemID><![CDATA[1048231-1]]></LineItemID>
        <SKU><![CDATA[G500-NAVY-L]]></SKU>
        <Name><![CDATA[Gildan 5000 Heavy Cotton Tee - Navy]]></Name>
        <ImageUrl><![CDATA[https://cdn.example.test/designs/eagles-front/navy.png]]></ImageUrl>
        <Weight>6.1</Weight>
        <WeightUnits>Ounces</WeightUnits>
        <Quantity>2</Quantity>
        <UnitPrice>18.00</UnitPrice>
        <Location><![CDATA[Shelf B3]]></Location>
        <Options>
          <Option><Name><![CDATA[Color]]></Name><Value><![CDATA[Navy]]></Value></Option>
          <Option><Name><![CDATA[Size]]></Name><Value><![CDATA[L]]></Value></Option>
          <Option><Name><![CDATA[Design]]></Name><Value><![CDATA[Eagles Front Logo]]></Value></Option>
        </Options>
      </Item>
      <Item>
        <SKU><![CDATA[SPRING10]]></SKU>
        <Name><![CDATA[Coupon SPRING10]]></Name>
        <Quantity>1</Quantity>
        <UnitPrice>-3.60</UnitPrice>
        <Adjustment>true</Adjustment>
      </Item>
    </Items>
  </Order>
</Orders>"""  # noqa: E501 - verbatim from protocol.md

PROTOCOL_SHIP_NOTICE = """<?xml version="1.0" encoding="utf-8"?>
<ShipNotice>
  <OrderNumber>1048231</OrderNumber>
  <OrderID>1048231</OrderID>
  <CustomerCode>jane@example.com</CustomerCode>
  <NotesToCustomer>Thanks for your order!</NotesToCustomer>
  <NotifyCustomer>false</NotifyCustomer>
  <LabelCreateDate>03/07/2026 16:05</LabelCreateDate>
  <ShipDate>03/07/2026</ShipDate>
  <Carrier>UPS</Carrier>
  <Service>UPS Ground</Service>
  <TrackingNumber>1Z999AA10123456784</TrackingNumber>
  <ShippingCost>9.42</ShippingCost>
  <Recipient>
    <Name>Jane Doe</Name><Address1>12 Main St</Address1><City>Austin</City>
    <State>TX</State><PostalCode>78701</PostalCode><Country>US</Country>
  </Recipient>
  <Items>
    <Item><LineItemID>1048231-1</LineItemID><SKU>G500-NAVY-L</SKU>
      <Name>Gildan 5000 Heavy Cotton Tee - Navy</Name><Quantity>2</Quantity></Item>
  </Items>
</ShipNotice>"""


def exported(seed: int, count: int = 40) -> etree._Element:
    app = create_app({"clock": lambda: FIXED_NOW, "orders": count, "seed": seed, "page_size": 500})
    response = app.test_client().get(ENDPOINT, query_string=export_params(), auth=AUTH)
    return parse_xml(response.data)


def as_shipstation_sees_it(root: etree._Element) -> tuple[etree._Element, int]:
    """The export without the InkSoft extension and without the orders lacking an address."""
    root = copy.deepcopy(root)
    dropped = 0
    for order in root.findall("Order"):
        for extension in order.findall("Weight") + order.findall("WeightUnits"):
            order.remove(extension)
        if not order.findtext("Customer/ShipTo/Address1"):
            root.remove(order)
            dropped += 1
    return root, dropped


@pytest.mark.parametrize("seed", range(25))
def test_every_rendered_export_is_valid_against_both_schemas(seed):
    root = exported(seed)
    FEED.assertValid(root)
    shipstation_view, _ = as_shipstation_sees_it(root)
    SHIPSTATION.assertValid(shipstation_view)


def test_an_order_without_address_is_the_one_exception_to_shipstations_schema():
    root = exported(seed=1, count=200)
    shipstation_view, dropped = as_shipstation_sees_it(root)
    assert dropped > 0
    SHIPSTATION.assertValid(shipstation_view)
    no_address = next(o for o in root.iter("Order") if not o.findtext("Customer/ShipTo/Address1"))
    lone = etree.Element("Orders", pages="1")
    lone.append(copy.deepcopy(no_address))
    FEED.assertValid(lone)
    for tag in ("Weight", "WeightUnits"):
        lone[0].remove(lone[0].find(tag))
    assert not SHIPSTATION.validate(lone)


def test_the_shipstation_schema_rejects_the_inksoft_extension():
    root, _ = as_shipstation_sees_it(exported(seed=2, count=3))
    root[0].append(etree.fromstring("<Weight>1.5</Weight>"))
    assert not SHIPSTATION.validate(root)


def test_the_feed_schema_is_not_vacuous():
    root = exported(seed=3, count=3)
    order = root[0]
    order.remove(order.find("OrderNumber"))
    assert not FEED.validate(root)


def test_the_protocol_example_order_is_valid_against_the_feed_schema():
    FEED.assertValid(parse_xml(PROTOCOL_ORDERS.encode()))


def test_the_protocol_ship_notice_is_valid_against_the_notice_schema():
    SHIP_NOTICE.assertValid(parse_xml(PROTOCOL_SHIP_NOTICE.encode()))
    without_tracking = PROTOCOL_SHIP_NOTICE.replace(
        "<TrackingNumber>1Z999AA10123456784</TrackingNumber>", ""
    )
    assert not SHIP_NOTICE.validate(parse_xml(without_tracking.encode()))


def test_the_examples_here_are_the_protocols():
    text = PROTOCOL.read_text(encoding="utf-8")
    assert PROTOCOL_ORDERS in text
    assert PROTOCOL_SHIP_NOTICE in text


# --- free text ---------------------------------------------------------------------------------


CDATA_ELEMENT = jinja2.Environment(autoescape=True)
CDATA_ELEMENT.filters["cdata"] = cdata
CDATA_TEMPLATE = CDATA_ELEMENT.from_string("<a>{{ value | cdata }}</a>")


def text_through(value: str) -> str:
    return parse_xml(CDATA_TEMPLATE.render(value=value).encode()).text or ""


@given(st.text())
def test_any_text_survives_cdata_but_the_characters_xml_forbids(value):
    assert text_through(value) == XML_1_0.sub("", value)


@pytest.mark.parametrize(
    "value",
    ["]]>", "a]]>b]]>c", "]]]]>>", "line\r\nnext\rlast", "<b>&amp;</b> 'q' \"Q\" é 🎽"],
)
def test_awkward_text_survives_exactly(value):
    assert text_through(value) == value


def test_characters_xml_forbids_are_dropped():
    assert text_through("bell\x07 nul\x00 fffe\ufffe ok") == "bell nul fffe ok"


def test_free_text_survives_the_export(client):
    notes = 'Tom & Jerry\'s <b>"special"</b> ]]> order\r\n  café 東京 🎽👕   \x0b'
    order = {"order_id": "5921", "gift": True}
    order |= {"customer_notes": notes, "internal_notes": notes, "gift_message": notes}
    client.post("/__admin/orders", json=order)
    root = parse_xml(client.get(ENDPOINT, query_string=export_params(), auth=AUTH).data)
    expected = notes.replace("\x0b", "")
    for tag in ("CustomerNotes", "InternalNotes", "GiftMessage"):
        assert root.findtext(f"Order/{tag}") == expected


def test_templates_are_compiled_once_per_app(client, monkeypatch):
    client.post("/__admin/orders/generate", json={"count": 5, "seed": 1})
    loads = []
    original = jinja2.Environment.get_template
    monkeypatch.setattr(
        jinja2.Environment,
        "get_template",
        lambda self, *a, **k: loads.append(a) or original(self, *a, **k),
    )
    for _ in range(3):
        client.get(ENDPOINT, query_string=export_params(), auth=AUTH)
        client.get(ENDPOINT, query_string={"action": "nope"}, auth=AUTH)
    assert loads == []
