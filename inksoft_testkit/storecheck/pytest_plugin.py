"""Store mode for the conformance suite: options, the store target, the end-of-run report.

Loaded by the ``inksoft`` pytest plugin. Without ``--store-url`` the store scenarios
(``@store_conformance``) run against the live mock InkSoft; with it, against that endpoint,
and every other Gherkin scenario is *not applicable* (it needs the mock or the connector).

What other reports can read, per test report:

- ``("store_probe", {...})`` in ``report.user_properties``, one per probe the scenario ran:
  ``probe``, ``number``, ``outcome`` (``pass``, ``warn``, ``fail``, ``not applicable``),
  ``failures``, ``warnings``, ``notes`` (redacted texts), ``not_applicable``;
- ``("store_outcome", "pass" | "warn" | "fail")`` once the scenario has judged its probes;
- a scenario that is not applicable is skipped with a reason starting ``not applicable:``.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from inksoft_testkit.catalogue import ID_PATTERN
from inksoft_testkit.drivers.base import NOT_APPLICABLE, not_applicable
from inksoft_testkit.drivers.report import NOT_APPLICABLE_OUTCOME, not_applicable_reason
from inksoft_testkit.storecheck.config import ConfigError, StoreConfig, resolve

if TYPE_CHECKING:  # loaded in every pytest run: the client and probes only when store mode runs
    from inksoft_testkit.storecheck.probes import Outcome, ProbeResult, StoreProber

STORE_MARKER = "store_conformance"
CONFIG_KEY = pytest.StashKey[StoreConfig]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("store", "store mode: check any Custom Store endpoint on the wire")
    group.addoption("--store-url", help="the store endpoint as ShipStation is given it")
    group.addoption("--store-user", help="its user (or $INKSOFT_STORE_USER)")
    group.addoption("--store-password", help="its password (or $INKSOFT_STORE_PASSWORD)")
    group.addoption("--store-config", type=Path, help="a TOML file with url, user, password")
    group.addoption(
        "--store-rate", type=float, default=5.0, help="requests per second (5; 0: no limit)"
    )
    group.addoption("--store-max-pages", type=int, default=20, help="pages walked at most (20)")
    group.addoption(
        "--store-page-budget", type=float, default=10.0, help="seconds a page may take (10)"
    )
    group.addoption("--store-days", type=int, default=30, help="the window: the last N days (30)")
    group.addoption(
        "--store-allow-writes",
        action="store_true",
        help="send shipment notices (only to the orders named with --store-order)",
    )
    group.addoption(
        "--store-order", action="append", default=[], help="an order a notice may name (repeat)"
    )
    group.addoption("--store-report", type=Path, help="write the store report as JSON here")


def store_mode(config: pytest.Config) -> bool:
    return CONFIG_KEY in config.stash


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{STORE_MARKER}: Store conformance: any Custom Store endpoint on the wire"
    )
    option = config.option
    if getattr(option, "store_url", None) or getattr(option, "store_config", None):
        try:
            config.stash[CONFIG_KEY] = resolve(
                option.store_url,
                option.store_user,
                option.store_password,
                option.store_config,
                os.environ,
                rate=option.store_rate if option.store_rate > 0 else None,
                max_pages=option.store_max_pages,
                page_budget=option.store_page_budget,
                days=option.store_days,
                allow_writes=option.store_allow_writes,
                orders=tuple(option.store_order),
            )
        except ConfigError as exc:
            raise pytest.UsageError(str(exc)) from None
    config.pluginmanager.register(StoreRunReport(config), "store-run-report")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not store_mode(config):
        return
    # A full run judges catalogue coverage; in store mode most scenarios cannot run at all.
    if config.pluginmanager.has_plugin("catalogue-coverage"):
        config.pluginmanager.unregister(name="catalogue-coverage")
    skip = pytest.mark.skip(
        reason=f"{NOT_APPLICABLE}needs the mock InkSoft's control API or the connector"
        " (store mode checks the wire only)"
    )
    for item in items:
        is_scenario = "_pytest_bdd_example" in getattr(item, "fixturenames", ())
        if is_scenario and item.get_closest_marker(STORE_MARKER) is None:
            item.add_marker(skip)


# --- the store under test -----------------------------------------------------------------


@dataclass
class StoreTarget:
    """What the store scenarios work on: the prober, and the mock's control API in mock mode
    (None against a real store: a step that needs it makes its scenario not applicable)."""

    prober: StoreProber
    admin: Any = None
    ran: list[ProbeResult] = field(default_factory=list)
    seeded: dict[str, str] = field(default_factory=dict)  # order number → free text (mock mode)

    @property
    def store_mode(self) -> bool:
        return self.admin is None

    def needs_mock(self, why: str) -> Any:
        """The control API, or a *not applicable* skip saying why the step needed it."""
        if self.admin is None:
            not_applicable(f"{why} (needs the mock's control API)")
        return self.admin

    def allow_notices(self, orders: tuple[str, ...]) -> None:
        client = self.prober.client
        client.config = self.prober.config = replace(
            client.config, allow_writes=True, orders=orders
        )


@pytest.fixture(scope="session")
def store_session_prober(request: pytest.FixtureRequest) -> StoreProber | None:
    """Store mode: one prober for the whole run, so the store is asked each thing once."""
    if not store_mode(request.config):
        return None
    from inksoft_testkit.storecheck.client import StoreClient
    from inksoft_testkit.storecheck.probes import StoreProber

    return StoreProber(StoreClient(request.config.stash[CONFIG_KEY]))


@pytest.fixture
def store_target(
    request: pytest.FixtureRequest, store_session_prober: StoreProber | None
) -> StoreTarget:
    if store_session_prober is not None:
        return StoreTarget(store_session_prober)
    from inksoft_testkit.storecheck.client import StoreClient
    from inksoft_testkit.storecheck.probes import StoreProber

    inksoft = request.getfixturevalue("inksoft")  # the mock, reset, started only in mock mode
    account = inksoft.account  # the account the mock started with, which a reset restores
    config = StoreConfig(
        url=inksoft.endpoint(), user=account.username, password=account.password, rate=None
    )
    return StoreTarget(StoreProber(StoreClient(config)), admin=inksoft.admin)


def record(request: pytest.FixtureRequest, target: StoreTarget) -> Outcome:
    """Put the probes' verdicts on the test report and return the scenario's outcome."""
    from inksoft_testkit.storecheck.probes import Outcome

    for result in target.ran:
        request.node.user_properties.append(("store_probe", result.as_property()))
    outcomes = {result.outcome for result in target.ran}
    for outcome in (Outcome.FAIL, Outcome.NOT_APPLICABLE, Outcome.WARN):
        if outcome in outcomes and (outcome != Outcome.NOT_APPLICABLE or len(outcomes) == 1):
            break
    else:
        outcome = Outcome.PASS
    if outcome != Outcome.NOT_APPLICABLE:
        request.node.user_properties.append(("store_outcome", outcome.value))
    return outcome


# --- the report ---------------------------------------------------------------------------


@dataclass
class ScenarioLine:
    name: str
    outcome: str
    behaviours: list[str]
    reason: str = ""


class StoreRunReport:
    """Collects probe and scenario outcomes from the test reports (so it works under xdist)
    and reports them per probe and per behaviour."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.probes: dict[str, dict] = {}
        self.scenarios: dict[str, ScenarioLine] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == "store_probe" and isinstance(value, dict):
                self.probes[value["probe"]] = value
        outcome = self._outcome(report)
        if outcome is None:
            return
        if STORE_MARKER not in report.keywords and outcome[0] != NOT_APPLICABLE_OUTCOME:
            return
        # B, C and P IDs; the keywords hold a tag's marker (b09) and may hold it as written (B09)
        behaviours = sorted({k.upper() for k in report.keywords if ID_PATTERN.fullmatch(k)})
        line = self.scenarios.get(report.nodeid)
        if line is None or outcome[0] == "fail":
            self.scenarios[report.nodeid] = ScenarioLine(
                report.nodeid.rsplit("::", 1)[-1], outcome[0], behaviours, outcome[1]
            )

    @staticmethod
    def _outcome(report: pytest.TestReport) -> tuple[str, str] | None:
        if report.skipped:
            reason = not_applicable_reason(report)
            if reason is not None:
                return NOT_APPLICABLE_OUTCOME, reason
            reason = str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else ""
            return "skipped", reason.removeprefix("Skipped: ")
        if report.failed:
            return "fail", ""
        if report.when == "call":
            declared = dict(report.user_properties).get("store_outcome", "pass")
            return str(declared), ""
        return None

    def summary(self) -> dict:
        from inksoft_testkit.storecheck.probes import PROBES

        behaviours: dict[str, Counter] = defaultdict(Counter)
        for line in self.scenarios.values():
            for behaviour in line.behaviours:
                behaviours[behaviour][line.outcome] += 1
        return {
            "target": self.config.stash[CONFIG_KEY].redact(self.config.stash[CONFIG_KEY].url)
            if store_mode(self.config)
            else "the live mock InkSoft",
            "read_only": not (
                store_mode(self.config) and self.config.stash[CONFIG_KEY].allow_writes
            ),
            "probes": {
                name: self.probes.get(name, {"probe": name, "outcome": "not run"})
                for name in PROBES
            },
            "behaviours": {b: dict(c) for b, c in sorted(behaviours.items())},
            "scenarios": Counter(line.outcome for line in self.scenarios.values()),
        }

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not store_mode(self.config) or hasattr(self.config, "workerinput"):
            return
        summary = self.summary()
        write = terminalreporter.write_line
        mode = "read-only" if summary["read_only"] else "writes allowed"
        terminalreporter.section(f"store conformance: {summary['target']} ({mode})")
        colour = {"pass": "green", "warn": "yellow", "fail": "red"}
        for name, probe in summary["probes"].items():
            number = f"#{probe['number']} " if probe.get("number") else ""
            outcome = probe["outcome"]
            markup = {colour[outcome]: True} if outcome in colour else {}
            write(f"{outcome.upper():>14}  {number}{name}", **markup)
            details = [
                *probe.get("failures", []),
                *probe.get("warnings", []),
                *([probe["not_applicable"]] if probe.get("not_applicable") else []),
            ]
            for detail in details:
                write(f"{'':16}{detail}")
        write("per behaviour:")
        for behaviour, counts in summary["behaviours"].items():
            write(f"  {behaviour}: " + ", ".join(f"{n} {o}" for o, n in sorted(counts.items())))
        counts = summary["scenarios"]
        write("scenarios: " + ", ".join(f"{n} {o}" for o, n in sorted(counts.items())))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        path = self.config.getoption("store_report", None)
        if path is None or hasattr(self.config, "workerinput"):
            return
        path.write_text(json.dumps(self.summary(), indent=2), encoding="utf-8")
