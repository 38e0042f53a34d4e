"""The export feed: one page of ``<Orders>`` XML → order records.

Lenient where real Custom Store feeds are sloppy: elements in any order and any letter case,
unknown elements ignored, CDATA or plain text, 12-hour dates, ``pages`` absent or 0. Strict
where it matters: a body that is not XML is a :class:`~connector.exceptions.FeedError`, and an
order that breaks the contract (a required element missing, a number or date unreadable, an
absurd quantity) comes back as an :class:`InvalidOrder` naming the field, while the rest of the
page still parses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from lxml import etree

from connector.dates import parse_feed_date
from connector.exceptions import FeedError
from connector.weights import Weight, normalise_unit
from safexml import UnsafeXmlError, XmlSyntaxError, parse_xml

ERROR_IN_XML = "Error in XML."
MAX_QUANTITY = 99999
CENTS = Decimal("0.01")
MAX_MONEY = Decimal("999999999.99")  # beyond this an amount is absurd (and cannot be quantized)
TRUE_WORDS = {"true", "1", "yes", "y"}
FALSE_WORDS = {"false", "0", "no", "n", ""}
ADDRESS_ELEMENTS = ("Address1", "City", "PostalCode", "Country")


class InvalidField(ValueError):
    """One element of one order breaks the contract; the message names it."""


@dataclass
class Address:
    name: str | None = None
    company: str | None = None
    street1: str | None = None
    street2: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None
    phone: str | None = None

    def missing_for_shipping(self) -> list[str]:
        """The address elements a shipping address needs and this one lacks."""
        present = {
            "Address1": self.street1,
            "City": self.city,
            "PostalCode": self.postal_code,
            "Country": self.country,
        }
        return [name for name in ADDRESS_ELEMENTS if not present[name]]


@dataclass
class Contact:
    """The billing contact (``BillTo``): who pays, apart from where the parcel goes."""

    name: str | None = None
    company: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass
class Option:
    name: str | None
    value: str | None


@dataclass
class Item:
    line_item_id: str | None
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    weight: Weight | None = None
    image_url: str | None = None
    location: str | None = None
    options: list[Option] = field(default_factory=list)

    def option(self, *names: str) -> str | None:
        """The value of the first option called one of ``names`` (letter case ignored)."""
        return option_value(self.options, *names)


def option_value(options: Iterable[Option], *names: str) -> str | None:
    """The value of the first of ``options`` called one of ``names`` (letter case ignored)."""
    wanted = {name.casefold() for name in names}
    for option in options:
        if option.name and option.name.strip().casefold() in wanted:
            return option.value
    return None


@dataclass
class Discount:
    name: str | None
    sku: str | None
    amount: Decimal


@dataclass
class FeedOrder:
    order_id: str
    order_number: str
    order_date: datetime
    last_modified: datetime
    store_status: str
    order_total: Decimal
    tax_amount: Decimal = Decimal("0.00")
    shipping_amount: Decimal = Decimal("0.00")
    customer_email: str | None = None
    customer_phone: str | None = None
    requested_service: str | None = None
    payment_method: str | None = None
    gift: bool = False
    gift_message: str | None = None
    internal_notes: str | None = None
    customer_notes: str | None = None
    total_weight: Weight | None = None
    weight_units: str | None = None
    coupons: list[str] = field(default_factory=list)
    discounts: list[Discount] = field(default_factory=list)
    ship_to: Address | None = None
    bill_to: Contact | None = None
    items: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class InvalidOrder:
    order_number: str
    problem: str


@dataclass
class Page:
    pages: int | None
    orders: list[FeedOrder | InvalidOrder]


@dataclass(frozen=True)
class Document:
    """An export page parsed as XML, its orders not read yet: what it declares, and each
    ``<Order>`` element with its position among the page's elements."""

    pages: int | None
    orders: list[tuple[int, etree._Element]]

    def next_wanted(self, number: int, declared: int) -> tuple[int, bool]:
        """Once this document came as page ``number``: the page count declared so far (the
        largest any page declared) and whether page ``number + 1`` is to be asked for. Never
        past the declared count, never after an empty page."""
        declared = max(declared, self.pages or 0)
        return declared, number < declared and bool(self.orders)


def parse_page(body: bytes) -> Page:
    """Parse one export page. Raises :class:`FeedError` when the body is not an orders document."""
    return read_page(parse_document(body))


def parse_document(body: bytes) -> Document:
    """The XML of one export page. Raises :class:`FeedError` when it is not an orders document."""
    try:
        root = parse_xml(body)
    except UnsafeXmlError:
        raise FeedError(
            f"{ERROR_IN_XML} The export declares a DOCTYPE, which is never accepted."
        ) from None
    except XmlSyntaxError:
        raise FeedError(ERROR_IN_XML) from None
    if lookup_key(root.tag) != "orders":
        raise FeedError(f"The export is not an <Orders> document: it is <{local_name(root)}>.")
    orders = [
        (position, element)
        for position, element in enumerate(root, start=1)  # every child is an element
        if lookup_key(element.tag) == "order"
    ]
    return Document(pages=declared_pages(root.get("pages")), orders=orders)


def read_page(document: Document) -> Page:
    """Each order of the page, read; an order that breaks the contract is an InvalidOrder."""
    orders = [parse_order(Node(element, ""), position) for position, element in document.orders]
    return Page(pages=document.pages, orders=orders)


def declared_pages(text: str | None) -> int | None:
    try:
        pages = int((text or "").strip())
    except ValueError:
        return None
    return pages if pages >= 0 else None


def parse_order(node: Node, position: int) -> FeedOrder | InvalidOrder:
    try:
        return read_order(node)
    except InvalidField as problem:
        number = (
            node.text("OrderNumber") or node.text("OrderID") or f"(order {position} of the page)"
        )
        return InvalidOrder(order_number=number, problem=str(problem))


def read_order(node: Node) -> FeedOrder:
    customer = node.required_child("Customer")
    bill_to = read_contact(customer.child("BillTo"))
    ship_to = read_address(customer.child("ShipTo"))
    if ship_to and not ship_to.missing_for_shipping() and not ship_to.name:
        raise InvalidField("Customer/ShipTo/Name is missing")
    order_number = node.required("OrderNumber")
    order = FeedOrder(
        order_id=node.text("OrderID") or order_number,
        order_number=order_number,
        order_date=node.date("OrderDate"),
        last_modified=node.date("LastModified"),
        store_status=node.required("OrderStatus"),
        order_total=node.money("OrderTotal"),
        tax_amount=node.money("TaxAmount", default=Decimal("0.00")),
        shipping_amount=node.money("ShippingAmount", default=Decimal("0.00")),
        customer_email=customer.text("CustomerCode") or (bill_to.email if bill_to else None),
        customer_phone=first_phone(bill_to, ship_to),
        requested_service=node.text("ShippingMethod"),
        payment_method=node.text("PaymentMethod"),
        gift=node.boolean("Gift"),
        gift_message=node.free_text("GiftMessage"),
        internal_notes=node.free_text("InternalNotes"),
        customer_notes=node.free_text("CustomerNotes"),
        weight_units=node.unit("WeightUnits"),
        coupons=split_codes(node.text("CustomField1")),
        ship_to=ship_to,
        bill_to=bill_to,
    )
    order.total_weight = node.weight("Weight", "WeightUnits", default_units=order.weight_units)
    items_node = node.child("Items")
    for line in items_node.children("Item") if items_node else []:
        if line.boolean("Adjustment"):
            order.discounts.append(read_discount(line))
        else:
            order.items.append(read_item(line, order.weight_units))
    return order


def first_phone(*contacts: Contact | Address | None) -> str | None:
    return next((c.phone for c in contacts if c is not None and c.phone), None)


def read_contact(node: Node | None) -> Contact | None:
    if node is None:
        return None
    return Contact(
        name=node.text("Name"),
        company=node.text("Company"),
        phone=node.text("Phone"),
        email=node.text("Email"),
    )


def read_address(node: Node | None) -> Address | None:
    if node is None:
        return None
    return Address(
        name=node.text("Name"),
        company=node.text("Company"),
        street1=node.text("Address1"),
        street2=node.text("Address2"),
        city=node.text("City"),
        state=node.text("State"),
        postal_code=node.text("PostalCode"),
        country=node.text("Country"),
        phone=node.text("Phone"),
    )


def read_item(node: Node, order_units: str | None) -> Item:
    return Item(
        line_item_id=node.text("LineItemID"),
        sku=node.required("SKU"),
        name=node.required("Name"),
        quantity=node.quantity("Quantity"),
        unit_price=node.money("UnitPrice"),
        weight=node.weight("Weight", "WeightUnits", default_units=order_units),
        image_url=node.text("ImageUrl"),
        location=node.text("Location"),
        options=read_options(node.first.get("options")),
    )


def read_options(element: etree._Element | None) -> list[Option]:
    """An item's ``<Options>``: each ``<Option>``'s first Name and Value, the empty ones left out.

    Options are free text that nothing checks, so they are read without a :class:`Node`
    (this is the feed's commonest element: about a third of an order's).
    """
    options: list[Option] = []
    if element is None:
        return options
    cached = _LOOKUP_KEYS.get  # read inline, as in first_children()
    for option in element:
        if (cached(option.tag) or lookup_key(option.tag)) != "option":
            continue
        name = value = None  # the first <Name> and <Value>: no dict of every child
        for part in option:
            key = cached(part.tag) or lookup_key(part.tag)
            if key == "name":
                name = part if name is None else name
            elif key == "value":
                value = part if value is None else value
        name_text, value_text = stripped_text(name), stripped_text(value)
        if name_text or value_text:
            options.append(Option(name_text, value_text))
    return options


def read_discount(node: Node) -> Discount:
    """An adjustment line: the amount is the line total (UnitPrice × Quantity), signed as sent."""
    quantity = node.quantity("Quantity") if node.text("Quantity") else 1
    return Discount(
        name=node.text("Name"),
        sku=node.text("SKU"),
        amount=(node.money("UnitPrice") * quantity).quantize(CENTS, ROUND_HALF_UP),
    )


def split_codes(text: str | None) -> list[str]:
    """InkSoft's coupon codes in ``CustomField1``, separated by ``, ``."""
    return [code.strip() for code in (text or "").split(",") if code.strip()]


def local_name(element: etree._Element) -> str:
    """The tag without its namespace (``{uri}Order`` → ``Order``)."""
    return element.tag.rpartition("}")[2]


# tag → lookup key, for the tags seen (bounded). Why a cache: with it (and the dict of first
# children below) reading a page took 110 µs per order instead of 125 (`python -m
# bench.import_phases`; docs/benchmarks.md, "Connector, import path", item 2).
_LOOKUP_KEYS: dict[str, str] = {}
_LOOKUP_KEYS_SIZE = 4096


def lookup_key(tag: str) -> str:
    """How a child is looked up: its local name in lower case (``{uri}ShipTo`` → ``shipto``)."""
    key = _LOOKUP_KEYS.get(tag)
    if key is None:
        key = tag.rpartition("}")[2].lower()
        if len(_LOOKUP_KEYS) < _LOOKUP_KEYS_SIZE:
            _LOOKUP_KEYS[tag] = key
    return key


def first_children(element: etree._Element) -> dict[str, etree._Element]:
    """The first child of each name, by lookup key. Every child is an element: the parser drops
    comments and processing instructions."""
    # Last to first: the first child of a name is kept. Every element of the feed passes
    # here: the cache is read inline, without a call.
    cached = _LOOKUP_KEYS.get
    return {cached(child.tag) or lookup_key(child.tag): child for child in reversed(element)}


def children_called(element: etree._Element, key: str) -> Iterator[etree._Element]:
    """Every child whose lookup key is ``key``, in document order."""
    return (child for child in element if lookup_key(child.tag) == key)


def element_text(element: etree._Element) -> str | None:
    """All of an element's text (the parser folds CDATA into text), None when it has none."""
    if len(element) == 0:  # text only: no need to walk children
        return element.text
    return "".join(element.itertext())


def stripped_text(element: etree._Element | None) -> str | None:
    """The element's text without surrounding whitespace; None when absent or empty."""
    value = None if element is None else element_text(element)
    return value.strip() or None if value else None


class Node:
    """An element whose children are looked up by name, in any order and any letter case."""

    __slots__ = ("element", "first", "path")

    def __init__(self, element: etree._Element, path: str) -> None:
        self.element = element
        self.path = path
        self.first = first_children(element)

    def child(self, name: str) -> Node | None:
        element = self.first.get(name.lower())
        return None if element is None else Node(element, f"{self.path}{name}/")

    def required_child(self, name: str) -> Node:
        node = self.child(name)
        if node is None:
            raise InvalidField(f"{self.path}{name} is missing")
        return node

    def children(self, name: str) -> Iterator[Node]:
        """Every child called ``name``, each with its position in the path (``Item[2]/``)."""
        for index, child in enumerate(children_called(self.element, name.lower()), start=1):
            yield Node(child, f"{self.path}{name}[{index}]/")

    def free_text(self, name: str) -> str | None:
        """The element's text exactly as sent (CDATA sections joined); None when empty."""
        element = self.first.get(name.lower())
        return None if element is None else element_text(element) or None

    def text(self, name: str) -> str | None:
        """The element's text without surrounding whitespace; None when absent or empty."""
        # stripped_text() and element_text() inline: the reader's commonest call (an order
        # reads about 60 fields this way).
        element = self.first.get(name.lower())
        if element is None:
            return None
        value = element.text if len(element) == 0 else "".join(element.itertext())
        return value.strip() or None if value else None

    def required(self, name: str) -> str:
        value = self.text(name)
        if value is None:
            raise InvalidField(f"{self.path}{name} is missing")
        return value

    def date(self, name: str) -> datetime:
        value = self.required(name)
        try:
            return parse_feed_date(value)
        except ValueError as problem:
            raise InvalidField(f"{self.path}{name}: {problem}") from None

    def number(self, name: str) -> Decimal | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            raise InvalidField(f"{self.path}{name} {value!r} is not a number")
        return number

    def money(self, name: str, default: Decimal | None = None) -> Decimal:
        number = self.number(name)
        if number is None:
            if default is None:
                raise InvalidField(f"{self.path}{name} is missing")
            return default
        if abs(number) > MAX_MONEY:
            raise InvalidField(f"{self.path}{name} {self.text(name)!r} is out of range")
        return number.quantize(CENTS, ROUND_HALF_UP)

    def quantity(self, name: str) -> int:
        number = self.number(name)
        if number is None:
            raise InvalidField(f"{self.path}{name} is missing")
        if number != number.to_integral_value() or not 1 <= number <= MAX_QUANTITY:
            raise InvalidField(
                f"{self.path}{name} {self.text(name)!r} is not a whole number from 1 to "
                f"{MAX_QUANTITY}"
            )
        return int(number)

    def boolean(self, name: str) -> bool:
        value = (self.text(name) or "").lower()
        if value in TRUE_WORDS:
            return True
        if value in FALSE_WORDS:
            return False
        raise InvalidField(f"{self.path}{name} {self.text(name)!r} is not true or false")

    def unit(self, name: str) -> str | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return normalise_unit(value)
        except ValueError as problem:
            raise InvalidField(f"{self.path}{name}: {problem}") from None

    def weight(self, name: str, units_name: str, default_units: str | None) -> Weight | None:
        """A weight; 0 or absent is no weight. Units default to the order's, else ounces."""
        value = self.number(name)
        if value is None or value == 0:
            return None
        if value < 0:
            raise InvalidField(f"{self.path}{name} {self.text(name)!r} is negative")
        return Weight(value, self.unit(units_name) or default_units or "ounces")
