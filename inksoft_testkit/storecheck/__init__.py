"""Store mode: the wire scenarios and failure-mode probes, run against any Custom Store endpoint.

``pytest tests/bdd --store-url URL`` checks that endpoint instead of the mock InkSoft. The
pieces: :mod:`.config` (endpoint, credentials and limits, with the password redacted
everywhere), :mod:`.client` (the one HTTP client, read-only unless told, rate-limited),
:mod:`.probes` (one probe per failure mode of docs/store-failure-modes.md) and
:mod:`.pytest_plugin` (options, fixtures, the end-of-run report).
"""

from inksoft_testkit.storecheck.client import Exchange, StoreClient, WriteRefused
from inksoft_testkit.storecheck.config import ConfigError, Redactor, StoreConfig
from inksoft_testkit.storecheck.probes import PROBES, Outcome, ProbeResult, StoreProber

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
