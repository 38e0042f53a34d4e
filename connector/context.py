"""What every operation on one store works with: the importer's and the shipper's context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from connector.client import InkSoftClient
from connector.database import Database, StoreRow


@dataclass(frozen=True)
class StoreContext:
    """One store, its client and settings, for one call of the ``Connector`` API."""

    db: Database
    store: StoreRow
    client: InkSoftClient
    settings: dict[str, Any]  # flat (dotted keys), secrets decrypted
    clock: Callable[[], datetime]  # aware UTC
    files: Path  # the folder beside the database: labels/ and outbox/
