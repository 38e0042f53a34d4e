"""A small client for the mock's ``/__admin/`` control API."""

from __future__ import annotations

from typing import Any

import requests


class AdminError(RuntimeError):
    """The control API refused a request; keeps the response."""

    def __init__(self, message: str, response: requests.Response) -> None:
        super().__init__(message)
        self.response = response


class AdminClient:
    """Drives a running mock InkSoft through its control API (never through its internals)."""

    def __init__(self, base_url: str, *, token: str | None = None, timeout: float = 10) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        if token:
            self.session.headers["X-Admin-Token"] = token
        self.timeout = timeout

    def _call(self, method: str, path: str, payload: Any = None, **params: Any) -> Any:
        response = self.session.request(
            method,
            f"{self.base_url}/__admin/{path}",
            json=payload,
            params=params or None,
            timeout=self.timeout,
        )
        if not response.ok:
            raise AdminError(
                f"{method} /__admin/{path} answered {response.status_code}: {response.text}",
                response,
            )
        return response.json() if response.content else None

    def health(self) -> dict:
        return self._call("GET", "health")

    def reset(self) -> None:
        self._call("POST", "reset")

    def accounts(self) -> list[dict]:
        return self._call("GET", "accounts")["accounts"]

    def save_account(self, account: dict, replace: bool = True) -> dict:
        """Create the account, or (``replace``) replace the one with its Publisher ID."""
        return self._call("POST", "accounts", {**account, "replace": replace})

    def add_orders(self, orders: list[dict]) -> list[dict]:
        return self._call("POST", "orders", orders)["orders"]

    def generate_orders(self, count: int, seed: int, **fixed: Any) -> list[dict]:
        return self._call("POST", "orders/generate", {"count": count, "seed": seed, **fixed})[
            "orders"
        ]

    def _every(self, path: str, name: str, **params: Any) -> list[dict]:
        """Every item of a paginated list, page after page."""
        items: list[dict] = []
        offset: int | None = 0
        while offset is not None:
            page = self._call("GET", path, **params, offset=offset, limit=1000)
            items += page[name]
            offset = page["next_offset"]
        return items

    def orders(self, status: str | None = None) -> list[dict]:
        params = {"status": status} if status else {}
        return self._every("orders", "orders", **params)

    def orders_page(self, offset: int = 0, limit: int = 100, **filters: Any) -> dict:
        """One page of ``GET /__admin/orders``: ``orders``, ``total``, ``next_offset``."""
        return self._call("GET", "orders", **filters, offset=offset, limit=limit)

    def order(self, order_id: str | int) -> dict:
        return self._call("GET", f"orders/{order_id}")

    def change_order(self, order_id: str | int, changes: dict) -> dict:
        return self._call("PATCH", f"orders/{order_id}", changes)

    def shipments(self) -> list[dict]:
        return self._every("shipments", "shipments")

    def requests(self) -> list[dict]:
        return self._every("requests", "requests")

    def clear_requests(self) -> None:
        self._call("DELETE", "requests")

    def settings(self) -> dict:
        return self._call("GET", "settings")

    def change_settings(self, **settings: Any) -> dict:
        return self._call("PUT", "settings", settings)

    def add_fault(self, **fault: Any) -> Any:
        return self._call("POST", "faults", fault)

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")
