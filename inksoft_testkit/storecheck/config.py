"""Which store to check, with which credentials and within which limits.

Credentials come from the command line, else the environment (``INKSOFT_STORE_USER``,
``INKSOFT_STORE_PASSWORD``), else a TOML file (``--store-config``)::

    url = "https://shop.example.com/10001/shipstation"
    user = "shipstation"
    password = "…"

The password is never echoed: every text the kit writes goes through :class:`Redactor`.
"""

from __future__ import annotations

import base64
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10: --store-config is refused
    tomllib = None

USER_VARIABLE = "INKSOFT_STORE_USER"
PASSWORD_VARIABLE = "INKSOFT_STORE_PASSWORD"  # noqa: S105 - a variable name
URL_VARIABLE = "INKSOFT_STORE_URL"
MASK = "***"


class ConfigError(ValueError):
    """The store settings are incomplete or unreadable; the message says which."""


class Redactor:
    """Replaces the password, in every form it can take on the wire, with ``***``."""

    def __init__(self, user: str, password: str) -> None:
        forms = {password, quote(password, safe=""), quote_plus(password)} if password else set()
        if password:
            forms.add(base64.b64encode(f"{user}:{password}".encode()).decode("ascii"))
        self._secrets = sorted((s for s in forms if s), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text


@dataclass(frozen=True)
class StoreConfig:
    """A store endpoint (the full URL ShipStation is given) and how far the kit may go."""

    url: str
    user: str
    password: str = field(repr=False)
    rate: float | None = 5.0  # requests per second; None: unbounded (our own mock)
    max_pages: int = 20
    page_budget: float = 10.0  # seconds a page may take before a warning
    days: int = 30  # the export window: the last ``days`` days
    allow_writes: bool = False
    orders: tuple[str, ...] = ()  # the only orders a shipment notice may name

    @property
    def redact(self) -> Redactor:
        return Redactor(self.user, self.password)

    def may_notify(self, order_number: str) -> bool:
        return self.allow_writes and order_number in self.orders


def read_toml(path: Path) -> dict[str, Any]:
    """A store file's settings (top level or under ``[store]``)."""
    if tomllib is None:  # pragma: no cover - Python 3.10
        raise ConfigError("--store-config needs Python 3.11 or later (tomllib)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the store config {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"the store config {path} is not valid TOML: {exc}") from exc
    store = data.get("store", data)
    if not isinstance(store, dict):
        raise ConfigError(f"the store config {path}: [store] must be a table")
    return store


def resolve(
    url: str | None,
    user: str | None,
    password: str | None,
    config_file: Path | None,
    environ: Mapping[str, str],
    **limits: Any,
) -> StoreConfig:
    """The store settings, each from the first source that gives it: the command line, the
    environment, the TOML file."""
    from_file = read_toml(config_file) if config_file else {}
    chosen = {
        "url": url or environ.get(URL_VARIABLE) or from_file.get("url"),
        "user": user or environ.get(USER_VARIABLE) or from_file.get("user"),
        "password": password or environ.get(PASSWORD_VARIABLE) or from_file.get("password"),
    }
    missing = [name for name, value in chosen.items() if not value]
    if missing:
        sources = {
            "url": f"--store-url, ${URL_VARIABLE} or url in --store-config",
            "user": f"--store-user, ${USER_VARIABLE} or user in --store-config",
            "password": f"--store-password, ${PASSWORD_VARIABLE} or password in --store-config",
        }
        raise ConfigError(
            "store mode needs " + "; ".join(f"{name} ({sources[name]})" for name in missing)
        )
    if not str(chosen["url"]).startswith(("http://", "https://")):
        raise ConfigError(f"the store URL must start with http:// or https://: {chosen['url']}")
    if limits.get("orders") and not limits.get("allow_writes"):
        raise ConfigError("--store-order names orders to notify: it needs --store-allow-writes")
    if limits.get("allow_writes") and not limits.get("orders"):
        raise ConfigError("--store-allow-writes needs the orders it may notify (--store-order N)")
    return StoreConfig(
        url=str(chosen["url"]).rstrip("/"),
        user=str(chosen["user"]),
        password=str(chosen["password"]),
        **limits,  # as given: a rate of None is no limit, not "use the default"
    )
