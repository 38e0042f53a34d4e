"""Product management: create products from imported SKUs, fill what a later item lacks."""

from __future__ import annotations

from collections.abc import Sequence

from connector.feed import FeedOrder
from connector.records import Product


class Catalogue:
    """The products of one store, as one page of orders is imported.

    ``create``: an item whose SKU is new creates a product (its name, weight and location);
    a product without a weight or location learns it from a later item that has one.
    ``fill``: an item without a weight or location gets the product's.
    """

    def __init__(self, known: Sequence[Product], *, create: bool, fill: bool) -> None:
        self.known = {product.sku: product for product in known}
        self.create = create
        self.fill = fill
        self.changed: dict[str, Product] = {}

    def apply(self, orders: Sequence[FeedOrder]) -> list[Product]:
        """Fill the orders' items in place; return the products to save."""
        for order in orders:
            for item in order.items:
                product = self.known.get(item.sku)
                if self.fill and product is not None:
                    item.weight = item.weight or product.weight
                    item.location = item.location or product.location
                if not self.create:
                    continue
                if product is None:
                    product = Product(item.sku, item.name, item.weight, item.location)
                    self.known[item.sku] = self.changed[item.sku] = product
                elif (product.weight is None and item.weight) or (
                    product.location is None and item.location
                ):
                    product.weight = product.weight or item.weight
                    product.location = product.location or item.location
                    self.changed[item.sku] = product
        return list(self.changed.values())
