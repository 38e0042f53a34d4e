"""The conformance suite: Gherkin scenarios run end to end against a live mock InkSoft.

Each scenario gets the session's live mock (waitress on an ephemeral 127.0.0.1 port, reset
first), a connector on a fresh SQLite file, and the shared step vocabulary below.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bdd_steps.given import *  # noqa: F403 - the step definitions are fixtures
from bdd_steps.step_lookup import remember_step_lookups
from bdd_steps.then import *  # noqa: F403
from bdd_steps.when import *  # noqa: F403
from bdd_steps.world import World
from inksoft_testkit.catalogue import read_catalogue
from inksoft_testkit.drivers.report import ConformanceReport
from inksoft_testkit.drivers.selection import foreign_option

FEATURES = Path(__file__).resolve().parents[2] / "features"
AREA_TAGS = {
    "connecting": "Connecting a store",
    "settings": "Store settings",
    "importing": "Importing orders",
    "status_mapping": "Status mapping",
    "order_fields": "Order-level fields",
    "item_fields": "Item-level fields",
    "shipping": "Labels and shipment updates",
    "notifications": "Customer e-mails",
    "troubleshooting": "The empty-queue store error",
    "protocol": "Protocol facts",
    "faults": "Faults and hostile input",
    "refresh_window": "The refresh window",
    "several_stores": "Several stores",
    "amounts_and_billing": "Order amounts and the billing contact",
    "label_failures": "Labels that cannot be made or kept",
}


@pytest.fixture
def world(inksoft, tmp_path: Path, connector_driver_factory):
    world = World(inksoft, tmp_path / "connector.db", connector_driver_factory)
    yield world
    world.close()


def pytest_configure(config: pytest.Config) -> None:
    remember_step_lookups()
    # The behaviour IDs' markers and the catalogue check: inksoft_testkit.catalogue, set up by
    # the ini option behaviour_catalogue (loaded on the xdist controller too).
    for tag, text in AREA_TAGS.items():
        config.addinivalue_line("markers", f"{tag}: {text}")
    if not config.pluginmanager.has_plugin("conformance-report"):
        report = ConformanceReport(
            read_catalogue(FEATURES / "behaviours.md"), foreign_option(config)
        )
        config.pluginmanager.register(report, "conformance-report")
