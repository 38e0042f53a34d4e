"""Print-shop data: the blanks a decorator sells, designs, print locations, coupons, notes.

:class:`OrderFactory` makes orders (as control-API JSON) from one seed, with a
``random.Random`` and a ``Faker`` of its own, so that the same seed and the same day give the
same orders. A generated batch seeds one factory per order (:func:`order_seed`) and draws each
order's status and dates beforehand with :class:`Outlines`, a fast generator whose arrays the
mock indexes without making the orders. Totals, weight and coupon codes are left to
:mod:`mock_inksoft.drafts`, which derives them for generated and hand-written orders alike.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import random
import re
import threading
import unicodedata
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from mock_inksoft.dates import format_iso

if TYPE_CHECKING:  # Faker is imported when the first order is made, not with the mock
    from faker import Faker

IMAGE_URL = "https://cdn.inksoft.test/designs/{design}/{color}.png"
GENERATED_DAYS = 14
GENERATED_MINUTES = GENERATED_DAYS * 24 * 60
CHANGED_WITHIN_MINUTES = 3 * 24 * 60


@dataclass(frozen=True)
class Blank:
    """A blank garment or accessory from a real brand, as print shops stock them."""

    brand: str
    style: str
    description: str
    sku_prefix: str
    colors: tuple[str, ...]
    sizes: tuple[str, ...]
    ounces: float  # a size M, or the one size
    price: float
    locations: tuple[str, ...]

    def name(self, color: str) -> str:
        return f"{self.brand} {self.style} {self.description} - {color}"


ADULT_SIZES = ("S", "M", "L", "XL", "2XL", "3XL")
TEE_LOCATIONS = ("Front", "Back", "Left Chest", "Full Front", "Front and Back")
FLEECE_LOCATIONS = ("Front", "Back", "Left Chest", "Hood", "Left Sleeve")

BLANKS = (
    Blank("Gildan", "5000", "Heavy Cotton Tee", "G500",
          ("Black", "Navy", "Sport Grey", "Red", "Royal", "White", "Forest Green", "Maroon"),
          ADULT_SIZES, 6.1, 16.00, TEE_LOCATIONS),
    Blank("Bella+Canvas", "3001", "Unisex Jersey Tee", "BC3001",
          ("Heather Mauve", "Athletic Heather", "Black", "Natural", "Steel Blue", "Soft Cream"),
          ("XS", "S", "M", "L", "XL", "2XL"), 4.2, 19.00, TEE_LOCATIONS),
    Blank("Next Level", "6210", "Unisex CVC Tee", "NL6210",
          ("Heather Gray", "Midnight Navy", "Charcoal", "Military Green", "Banana Cream"),
          ("XS", "S", "M", "L", "XL", "2XL"), 4.3, 18.50, TEE_LOCATIONS),
    Blank("Comfort Colors", "1717", "Garment-Dyed Heavyweight Tee", "CC1717",
          ("Pepper", "Ivory", "Blue Jean", "Watermelon", "Moss", "Chalky Mint"),
          ADULT_SIZES, 6.1, 24.00, TEE_LOCATIONS),
    Blank("Port & Company", "PC54", "Core Cotton Tee", "PC54",
          ("Jet Black", "Athletic Heather", "Deep Navy", "Red", "Safety Orange"),
          ADULT_SIZES, 5.5, 14.00, TEE_LOCATIONS),
    Blank("Bella+Canvas", "6400", "Women's Relaxed Jersey Tee", "BC6400",
          ("Heather Peach", "Black", "White", "Heather Prism Lilac"),
          ("S", "M", "L", "XL", "2XL"), 4.0, 20.00, TEE_LOCATIONS),
    Blank("Sport-Tek", "ST350", "PosiCharge Competitor Tee", "ST350",
          ("True Royal", "Deep Red", "Black", "Neon Yellow"),
          ("XS", "S", "M", "L", "XL", "2XL"), 3.8, 17.00, ("Front", "Back", "Left Chest")),
    Blank("Gildan", "18500", "Heavy Blend Hooded Sweatshirt", "G185",
          ("Black", "Navy", "Sport Grey", "Maroon", "Dark Heather"),
          ADULT_SIZES, 17.0, 38.00, FLEECE_LOCATIONS),
    Blank("Independent Trading Co.", "SS4500", "Midweight Hooded Sweatshirt", "SS4500",
          ("Black", "Alpine Green", "Bone", "Classic Navy", "Grey Heather"),
          ADULT_SIZES, 16.0, 44.00, FLEECE_LOCATIONS),
    Blank("Gildan", "18000", "Heavy Blend Crewneck Sweatshirt", "G180",
          ("Black", "Navy", "Sport Grey", "Sand"),
          ADULT_SIZES, 14.5, 32.00, ("Front", "Back", "Left Chest")),
    Blank("Port Authority", "K500", "Silk Touch Polo", "K500",
          ("Black", "Navy", "Royal", "White", "Steel Grey"),
          ("S", "M", "L", "XL", "2XL"), 8.0, 32.00, ("Left Chest", "Right Sleeve")),
    Blank("Richardson", "112", "Trucker Cap", "R112",
          ("Black/White", "Khaki/Coffee", "Navy/White", "Heather Grey/Black", "Charcoal/Black"),
          ("OSFA",), 3.5, 22.00, ("Front Panel", "Left Side")),
    Blank("Liberty Bags", "8502", "Canvas Tote", "LB8502",
          ("Natural", "Black", "Navy"),
          ("One Size",), 7.0, 15.00, ("Front", "Back")),
)  # fmt: skip

SIZE_FACTORS = {"XS": 0.9, "S": 0.95, "M": 1.0, "L": 1.05, "XL": 1.1, "2XL": 1.2, "3XL": 1.3}
SIZE_UPCHARGES = {"2XL": 2.00, "3XL": 3.00}

DESIGNS = (
    "Eagles Front Logo",
    "Robot Club",
    "Lincoln High Track & Field",
    "Hometown 5K 2026",
    "Riverside Dental Staff",
    "Smith Family Reunion",
    "Taco Tuesday Crew",
    "Coffee & Code Meetup",
    "Maple Street Bakery",
    "U12 Lady Hornets",
    "Camp Wildwood Counselor",
    "Bark Park Volunteers",
    "Brewery 42 Staff",
    "St. Jude's Fun Run",
    "Garage Band Tour '26",
    "Book Club: Chapter 11",
    "Kessler Plumbing",
    "Mountain View Robotics",
    "Desert Sun Softball",
    "Bride Tribe",
)

SHIPPING_METHODS = (
    ("UPS Ground", 8.95),
    ("USPS Priority Mail", 9.45),
    ("USPS Ground Advantage", 5.95),
    ("FedEx Ground", 10.25),
    ("UPS 2nd Day Air", 24.50),
    ("FedEx 2Day", 26.75),
)
PICKUP = ("Customer Pickup", 0.00)
PAYMENT_METHODS = (("Credit Card", 70), ("PayPal", 12), ("Purchase Order", 10), ("Check", 5))
TAX_RATES = (0.0, 0.0, 0.06, 0.0625, 0.07, 0.0725, 0.0825)

STATUSES = (
    ("Ready to Ship", 38),
    ("Open", 24),
    ("Pending Approval", 6),
    ("Unauthorized", 4),
    ("On Hold", 6),
    ("Shipped", 9),
    ("Completed", 5),
    ("Canceled", 4),
    ("Ready for Pick Up", 4),
)

COUPONS = (  # code, percent off the goods or None, amount off or None
    ("SPRING10", 10, None),
    ("WELCOME15", 15, None),
    ("BULK20", 20, None),
    ("TEAM5", None, 5.00),
    ("SCHOOL10", None, 10.00),
)

CUSTOMER_NOTES = (
    "Please ship before the tournament & thanks!",
    "Need these by Friday — it's for the <Spring Fling> 🎉",
    'Make sure the "gold" ink is metallic, not yellow.',
    "If the hoodies are back-ordered, ship the tees first.",
    "Café crew shirts — merci beaucoup! ☕",
    "Leave at the side door; the dog is friendly 🐕",
    "Order for the O'Brien & Søn family reunion 👕🧢",
    "Literal text on the back: ]]> (yes, really, it's our logo)",
    "Size chart says L runs small? Swap to XL if so.",
    "Naïve question: can you fold them individually?",
)
INTERNAL_NOTES = (
    "Screen print run #44",
    "DTG — check left-chest placement before pressing.",
    "Reorder of PO 2291 & rush fee waived.",
    "Artwork approved by María on the proof (v3).",
    "Ink: PMS 186 C <not> 185; see job ticket.",
    'Customer called: "keep the sleeves plain".',
    "Split shipment OK per customer ]]> note from Dana.",
    "Embroidery: 7,500 stitches, thread chart B.",
)
GIFT_MESSAGES = (
    "Go team!",
    "Happy birthday, Sam! 🎂",
    "For the best coach — from the U12 Eagles",
    "Congrats on the new shop & good luck!",
    "With love, Aunt Rosa 💐",
)
TEAM_NAMES = (
    "Lincoln High Booster Club",
    "Riverside Dental",
    "Maple Street Bakery",
    "Kessler Plumbing & Heating",
    "Mountain View Robotics Team",
    "Camp Wildwood",
)
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")


@functools.lru_cache(maxsize=8192)  # designs, colours and names: a few thousand in all
def slug(text: str) -> str:
    """``Coffee & Code Meetup`` → ``coffee-code-meetup`` (ASCII, for URLs and e-mails)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def image_url(design: str, color: str) -> str:
    return IMAGE_URL.format(design=slug(design), color=slug(color))


@functools.lru_cache(maxsize=1024)  # colours and sizes
def sku_part(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "", text.upper())


def _status_table() -> bytes:
    """A random byte to a status's position in ``STATUSES``, in proportion to their weights."""
    total = sum(weight for _, weight in STATUSES)
    bounds = list(itertools.accumulate(weight for _, weight in STATUSES))
    return bytes(bisect.bisect_right(bounds, byte * total / 256) for byte in range(256))


STATUS_NAMES = tuple(name for name, _ in STATUSES)
_STATUS_OF_BYTE = _status_table()


@dataclass(frozen=True)
class Outline:
    """What is drawn for an order before the rest: its status and dates (minutes after the
    start of the 14 days)."""

    status: str
    placed: int
    changed: int


class Outlines:
    """Every order's status and dates for a batch, from one seed, as flat arrays: a million
    in about a second, without Faker."""

    def __init__(self, seed: int, count: int) -> None:
        rng = random.Random(f"outlines:{seed}")
        self.statuses = rng.randbytes(count).translate(_STATUS_OF_BYTE)
        placed = array("H", [n % GENERATED_MINUTES for n in array("I", rng.randbytes(4 * count))])
        later = array("I", rng.randbytes(4 * count))
        last = GENERATED_MINUTES - 1
        self.placed = placed
        self.changed = array(
            "H",
            [min(p + n % CHANGED_WITHIN_MINUTES, last) for p, n in zip(placed, later, strict=True)],
        )

    def __getitem__(self, index: int) -> Outline:
        status = STATUS_NAMES[self.statuses[index]]
        return Outline(status, self.placed[index], self.changed[index])


def new_faker() -> Faker:
    """An ``en_US`` Faker. Faker is imported here, on the first order made: importing it takes
    longer than the rest of the mock's start-up, which serving needs no Faker for."""
    from faker import Faker

    return Faker("en_US")


_filling = threading.Lock()  # one filled order at a time through the shared Faker


@functools.cache
def _filling_faker() -> Faker:
    return new_faker()


@contextmanager
def filling_factory(seed: int | str, day_start: datetime) -> Iterator[OrderFactory]:
    """An :class:`OrderFactory` for filling in one order's missing fields, on the process's one
    filling Faker, reseeded: the same values as a Faker of its own, whose making took three
    times as long as the order (1.6 ms an order against 0.4, on this machine unloaded; the
    first Faker of a process, 0.2 s, is made once). One user at a time, whatever the thread
    or the app."""
    with _filling:
        yield OrderFactory(seed, day_start, fake=_filling_faker())


def order_seed(seed: int, index: int) -> str:
    """The seed of a generated batch's order at ``index``: each order is a function of the
    batch's seed and its position, made only when something reads it."""
    return f"{seed}:{index}"


def batch_faker() -> Faker:
    """An ``en_US`` Faker that draws from its weighted tables (names, streets, cities: a few
    thousand entries each) in O(log n) rather than O(n): the same values from the same seed.

    Faker sums a table's weights on every draw (``random.choices(keys, weights=…)``), which
    took most of the time of making an order; here each table's running sums are kept, and
    ``random.choices(keys, cum_weights=…)`` draws the same key with the same single
    ``random()`` call. Any other draw goes to Faker's own code.
    """
    fake = new_faker()
    for provider in fake.get_providers():
        provider.random_elements = _summed_once(provider)
    return fake


def _summed_once(provider: Any) -> Callable[..., Sequence]:
    original = provider.random_elements
    sums: dict[int, tuple[OrderedDict, tuple, list]] = {}  # by id(table), the table kept alive

    def random_elements(
        elements: Any = ("a", "b", "c"),
        length: int | None = None,
        unique: bool = False,
        use_weighting: bool | None = None,
    ) -> Sequence:
        weighted = provider.__use_weighting__ if use_weighting is None else use_weighting
        if length != 1 or unique or not weighted or not isinstance(elements, OrderedDict):
            return original(elements, length, unique, use_weighting)
        found = sums.get(id(elements))
        if found is None or found[0] is not elements:
            found = sums[id(elements)] = (
                elements,
                tuple(elements),
                list(itertools.accumulate(elements.values())),
            )
        return provider.generator.random.choices(found[1], cum_weights=found[2])

    return random_elements


class OrderFactory:
    """Print-shop orders from one seed, dated in the 14 days before ``day_start``.

    ``fake`` is a Faker to reseed rather than make (making one takes tens of milliseconds);
    ``outline`` fixes the next order's status and dates rather than drawing them.
    """

    def __init__(
        self,
        seed: int | str,
        day_start: datetime,
        *,
        fake: Faker | None = None,
        outline: Outline | None = None,
    ) -> None:
        self.rng = random.Random(seed)
        self.fake = fake or new_faker()
        self.fake.seed_instance(seed)
        self.day_start = day_start
        self.outline = outline

    def earliest(self) -> datetime:
        return self.day_start - timedelta(days=GENERATED_DAYS)

    def _weighted(self, choices: tuple[tuple[str, int], ...]) -> str:
        names, weights = zip(*choices, strict=True)
        return self.rng.choices(names, weights=weights)[0]

    def _sometimes(self, chance: float) -> bool:
        return self.rng.random() < chance

    def order(self, order_id: str, *, shipping_address: bool | None = None) -> dict:
        """A whole order; ``order_total``, ``weight`` and ``coupon_codes`` are derived later.

        ``shipping_address`` None: about one order in fifteen has none; True or False: every
        order has one, or none has.
        """
        rng = self.rng
        lacks_address = self._sometimes(1 / 15)
        if shipping_address is None:
            shipping_address = not lacks_address
        status = self.outline.status if self.outline else self._weighted(STATUSES)
        lines = [self.product_line(f"{order_id}-{n}") for n in range(1, rng.randint(1, 4) + 1)]
        goods = round(sum(line["quantity"] * line["unit_price"] for line in lines), 2)
        coupons = self._coupon_lines(goods)
        method, shipping = PICKUP if status == "Ready for Pick Up" else rng.choice(SHIPPING_METHODS)
        taxable = max(goods + sum(c["unit_price"] for c in coupons), 0)
        gift = self._sometimes(1 / 8)
        order_date, last_modified = self._dates()
        customer = self.customer(gift=gift)
        if not shipping_address:
            customer["ship_to"] = None
        return {
            "order_id": order_id,
            "order_number": order_id,
            "order_date": format_iso(order_date),
            "last_modified": format_iso(last_modified),
            "status": status,
            "shipping_method": method,
            "payment_method": self._weighted(PAYMENT_METHODS),
            "tax_amount": round(taxable * rng.choice(TAX_RATES), 2),
            "shipping_amount": shipping,
            "customer_notes": rng.choice(CUSTOMER_NOTES) if self._sometimes(0.35) else None,
            "internal_notes": self._internal_notes() if self._sometimes(0.5) else None,
            "gift": gift,
            "gift_message": self.gift_message() if gift else None,
            "customer": customer,
            "items": lines + coupons,
        }

    def _dates(self) -> tuple[datetime, datetime]:
        if self.outline:
            placed, changed = self.outline.placed, self.outline.changed
        else:
            placed = self.rng.randrange(GENERATED_MINUTES)
            changed = min(
                placed + self.rng.randrange(CHANGED_WITHIN_MINUTES), GENERATED_MINUTES - 1
            )
        earliest = self.earliest()
        return earliest + timedelta(minutes=placed), earliest + timedelta(minutes=changed)

    def _internal_notes(self) -> str:
        if self._sometimes(0.3):
            return self.fake.sentence(nb_words=10)
        return self.rng.choice(INTERNAL_NOTES)

    def gift_message(self) -> str:
        return self.rng.choice(GIFT_MESSAGES)

    def product_line(self, line_item_id: str) -> dict:
        """One decorated garment or accessory: colour, size and design options, bin, weight."""
        rng = self.rng
        blank = rng.choice(BLANKS)
        color = rng.choice(blank.colors)
        size = rng.choice(blank.sizes)
        design = rng.choice(DESIGNS)
        team_order = self._sometimes(0.1)
        price = blank.price + SIZE_UPCHARGES.get(size, 0.0) + rng.choice((0, 2, 4, 5.5, 8))
        return {
            "line_item_id": line_item_id,
            "sku": f"{blank.sku_prefix}-{sku_part(color)}-{sku_part(size)}",
            "name": blank.name(color),
            "image_url": image_url(design, color),
            "weight": round(blank.ounces * SIZE_FACTORS.get(size, 1.0), 1),
            "weight_units": "Ounces",
            "quantity": rng.randint(12, 36) if team_order else rng.choice((1, 1, 1, 2, 2, 3, 4, 6)),
            "unit_price": round(price, 2),
            "location": self._bin(),
            "options": [
                {"name": "Color", "value": color},
                {"name": "Size", "value": size},
                {"name": "Design", "value": design},
                {"name": "Print Location", "value": rng.choice(blank.locations)},
            ],
            "adjustment": False,
        }

    def _bin(self) -> str:
        rng = self.rng
        letter = rng.choice("ABCDEF")
        return rng.choice(
            (
                f"Shelf {letter}{rng.randint(1, 9)}",
                f"Bin {letter}-{rng.randint(1, 40)}",
                f"Rack {rng.randint(1, 12)}-{letter}",
            )
        )

    def _coupon_lines(self, goods: float) -> list[dict]:
        count = 2 if self._sometimes(1 / 25) else 1 if self._sometimes(1 / 5) else 0
        return [self.coupon_line(code, goods) for code in self.rng.sample(COUPONS, count)]

    def coupon_line(self, coupon: tuple[str, int | None, float | None], goods: float) -> dict:
        """An adjustment line: the coupon code as SKU, a negative unit price."""
        code, percent, amount = coupon
        off = round(goods * percent / 100, 2) if percent else min(amount or 0.0, goods)
        return {
            "line_item_id": None,
            "sku": code,
            "name": f"Coupon {code}",
            "image_url": None,
            "weight": None,
            "weight_units": None,
            "quantity": 1,
            "unit_price": -off,
            "location": None,
            "options": [],
            "adjustment": True,
        }

    def any_coupon_line(self) -> dict:
        return self.coupon_line(self.rng.choice(COUPONS), 50.00)

    def customer(self, *, gift: bool = False) -> dict:
        """The buyer; a gift ships to someone else."""
        first, last = self.fake.first_name(), self.fake.last_name()
        name = f"{first} {last}"
        email = f"{slug(first)}.{slug(last)}@{self.rng.choice(EMAIL_DOMAINS)}".replace("-", "")
        company = self._company()
        phone = self._phone()
        recipient = (self.fake.name(), None, self._phone()) if gift else (name, company, phone)
        return {
            "email": email,
            "bill_to": {"name": name, "company": company, "phone": phone, "email": email},
            "ship_to": self.ship_to(*recipient),
        }

    def _company(self) -> str | None:
        if not self._sometimes(0.25):
            return None
        return self.rng.choice(TEAM_NAMES) if self._sometimes(0.4) else self.fake.company()

    def ship_to(self, name: str, company: str | None, phone: str | None) -> dict:
        fake = self.fake
        state = fake.state_abbr(include_territories=False, include_freely_associated_states=False)
        return {
            "name": name,
            "company": company,
            "address1": fake.street_address(),
            "address2": fake.secondary_address() if self._sometimes(0.3) else None,
            "city": fake.city(),
            "state": state,
            "postal_code": fake.zipcode_in_state(state),
            "country": "US",
            "phone": phone,
        }

    def _phone(self) -> str:
        rng = self.rng
        return f"{rng.randint(201, 989)}-{rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"
