"""The conformance suite: Gherkin scenarios run end to end against a live mock InkSoft.

Each scenario gets the session's live mock (waitress on an ephemeral 127.0.0.1 port, reset
first), a connector on a fresh SQLite file, and the shared step vocabulary below.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from pathlib import Path

import pytest

from bdd_steps.given import *  # noqa: F403 - the step definitions are fixtures
from bdd_steps.then import *  # noqa: F403
from bdd_steps.when import *  # noqa: F403
from bdd_steps.world import World
from inksoft_testkit.drivers.report import ConformanceReport, not_applicable_reason
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


@functools.cache
def catalogue_ids() -> dict[str, str]:
    """The behaviour IDs (lower case) of features/behaviours.md, with their one-line text."""
    text = (FEATURES / "behaviours.md").read_text(encoding="utf-8")
    return {m[1].lower(): m[2] for m in re.finditer(r"^\| ([BCP]\d{2}) \| (.+?) \|", text, re.M)}


@pytest.fixture
def world(inksoft, tmp_path: Path, connector_driver_factory):
    world = World(inksoft, tmp_path / "connector.db", connector_driver_factory)
    yield world
    world.close()


class CatalogueCoverage:
    """Fails a full run of the suite that leaves a behaviour ID without a passing scenario."""

    def __init__(self) -> None:
        self.selected: dict[str, int] = defaultdict(int)
        self.passed: dict[str, int] = defaultdict(int)
        self.not_applicable: dict[str, int] = defaultdict(int)  # to the connector under test
        self.failed: dict[str, int] = defaultdict(int)
        self.items: dict[str, set[str]] = {}

    @staticmethod
    def ids_of(item: pytest.Item) -> set[str]:
        ids = catalogue_ids()
        return {mark.name for mark in item.iter_markers() if mark.name in ids}

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        for item in session.items:
            for behaviour in self.ids_of(item):
                self.selected[behaviour] += 1
        self.items = {item.nodeid: self.ids_of(item) for item in session.items}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" and report.passed:
            for behaviour in self.items.get(report.nodeid, ()):
                self.passed[behaviour] += 1
        elif not_applicable_reason(report) or report.failed:
            counts = self.not_applicable if report.skipped else self.failed
            for behaviour in self.items.get(report.nodeid, ()):
                counts[behaviour] += 1

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        catalogue = catalogue_ids()
        if set(self.selected) != set(catalogue):
            return  # a partial run (-k, -m, one file): coverage is judged on full runs only
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        # a behaviour whose scenarios all need what the connector does not declare: said, not failed
        unsupported = sorted(
            b
            for b in catalogue
            if self.not_applicable[b] and not (self.passed[b] or self.failed[b])
        )
        if unsupported and reporter is not None:
            reporter.write_line(
                "behaviours not applicable to this connector: " + ", ".join(unsupported),
                yellow=True,
            )
        failing = sorted(b for b in catalogue if not self.passed[b] and b not in unsupported)
        if failing:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
            if reporter is not None:
                reporter.write_line(
                    "behaviours without a passing scenario: " + ", ".join(failing), red=True
                )


def pytest_configure(config: pytest.Config) -> None:
    for tag, text in {**AREA_TAGS, **catalogue_ids()}.items():
        config.addinivalue_line("markers", f"{tag}: {text}")
    if not config.pluginmanager.has_plugin("catalogue-coverage"):
        config.pluginmanager.register(CatalogueCoverage(), "catalogue-coverage")
    if not config.pluginmanager.has_plugin("conformance-report"):
        report = ConformanceReport(catalogue_ids(), foreign_option(config))
        config.pluginmanager.register(report, "conformance-report")
