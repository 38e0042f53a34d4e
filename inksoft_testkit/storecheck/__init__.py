"""Store mode: the wire scenarios and failure-mode probes, run against any Custom Store endpoint.

``pytest tests/bdd --store-url URL`` checks that endpoint instead of the mock InkSoft. The
pieces: :mod:`.config` (endpoint, credentials and limits, with the password redacted
everywhere), :mod:`.client` (the one HTTP client, read-only unless told, rate-limited),
:mod:`.probes` (one probe per failure mode of docs/store-failure-modes.md) and
:mod:`.pytest_plugin` (options, fixtures, the end-of-run report).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from inksoft_testkit.storecheck.config import ConfigError, Redactor, StoreConfig

if TYPE_CHECKING:
    from inksoft_testkit.storecheck.client import Exchange, StoreClient, WriteRefused
    from inksoft_testkit.storecheck.probes import PROBES, Outcome, ProbeResult, StoreProber

# The pytest plugin loads this package in every run: the client and the probes (requests,
# lxml, safexml) are imported only when one of their names is first asked for.
_LAZY = {
    "Exchange": "client",
    "StoreClient": "client",
    "WriteRefused": "client",
    "PROBES": "probes",
    "Outcome": "probes",
    "ProbeResult": "probes",
    "StoreProber": "probes",
}

__all__ = [
    "PROBES",
    "ConfigError",
    "Exchange",
    "Outcome",
    "ProbeResult",
    "Redactor",
    "StoreClient",
    "StoreConfig",
    "StoreProber",
    "WriteRefused",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
