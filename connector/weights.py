"""Weights: the three units the records use, the spellings feeds use, and conversions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

UNITS = ("ounces", "pounds", "grams")

UNIT_SPELLINGS = {
    "ounces": "ounces",
    "ounce": "ounces",
    "oz": "ounces",
    "pounds": "pounds",
    "pound": "pounds",
    "lb": "pounds",
    "lbs": "pounds",
    "grams": "grams",
    "gram": "grams",
    "g": "grams",
}

GRAMS_PER_UNIT = {
    "grams": Decimal(1),
    "ounces": Decimal("28.349523125"),
    "pounds": Decimal("453.59237"),
}

PRECISION = Decimal("0.0001")


def normalise_unit(text: str) -> str:
    """``Ounces``, ``oz``, ``LBS``… as ``ounces``, ``pounds`` or ``grams``; ValueError otherwise."""
    try:
        return UNIT_SPELLINGS[text.strip().lower()]
    except KeyError:
        raise ValueError(
            f"{text.strip()!r} is not a weight unit (Pounds, Ounces or Grams)"
        ) from None


@dataclass(frozen=True)
class Weight:
    value: Decimal
    units: str

    def to(self, units: str) -> Weight:
        if units == self.units:
            return self
        grams = self.value * GRAMS_PER_UNIT[self.units]
        return Weight((grams / GRAMS_PER_UNIT[units]).quantize(PRECISION), units)

    def __mul__(self, factor: int) -> Weight:
        return Weight(self.value * factor, self.units)


def total(weights: list[Weight], units: str | None = None) -> Weight | None:
    """The sum of ``weights`` in ``units`` (default: the first one's), or None for no weights."""
    if not weights:
        return None
    units = units or weights[0].units
    return Weight(sum((w.to(units).value for w in weights), Decimal(0)), units)
