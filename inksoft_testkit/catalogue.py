"""The behaviour catalogue: its IDs as tags, and a full run fails when one has no passing scenario.

Active when the ini option ``behaviour_catalogue`` names the catalogue (a Markdown table whose
rows start ``| B09 | …``; IDs are a letter B, C or P and two digits). Then:

- each ID is a registered marker, so ``pytest -m b09`` runs its scenarios;
- a scenario's behaviour tag is read in any case (``@B09`` is ``b09``), and a tag that looks
  like an ID but is not in the catalogue (``@b34``) stops the run with a message naming it;
  this holds for a tag on an ``Examples:`` block too, which pytest-bdd turns into a mark as
  written (``pytest.mark.B09``) without asking :func:`pytest_bdd_apply_tag`: the upper-case
  IDs are registered markers (so ``--strict-markers`` accepts them), each item carrying one
  gets the lower-case marker before ``-m`` selects, and the feature files beside the
  catalogue are read for unknown IDs before collection (``--strict-markers`` would otherwise
  stop the run first with its own message, which does not name the catalogue);
- a run that selected every ID (a full run: not ``-k``, ``-m`` or one file) fails when an ID has
  no passing scenario, naming it (a scenario whose set-up or teardown failed has not passed);
  an ID whose scenarios were all *not applicable* to the connector under test (a capability
  it does not declare) is named apart and does not fail it.

The check reads the test reports, which carry the IDs in their keywords: under pytest-xdist
the controller sees only reports, no test items, and judges the run the same way.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from inksoft_testkit.drivers.report import not_applicable_reason

ID_PATTERN = re.compile(r"[BCP]\d{2}", re.IGNORECASE)
ID_ROW = re.compile(r"^\| ([BCP]\d{2}) \| (.+?) \|", re.MULTILINE)
TAG = re.compile(r"(?:^|\s)@(\S+)")


@functools.cache
def read_catalogue(path: Path) -> dict[str, str]:
    """The IDs (lower case) of a catalogue file, with their one-line text."""
    text = path.read_text(encoding="utf-8")
    return {match[1].lower(): match[2] for match in ID_ROW.finditer(text)}


@dataclass
class Tally:
    """How many scenarios of each ID (lower case) ran, passed, failed and were not applicable
    to the connector under test, and the verdict on them: the run's check and the HTML
    report's coverage feature judge alike."""

    ids: Collection[str]
    selected: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    passed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    not_applicable: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def unsupported(self) -> list[str]:
        """The IDs whose scenarios were all not applicable to the connector under test (a
        not-applicable one, and none passed or failed)."""
        return sorted(
            behaviour
            for behaviour in self.ids
            if self.not_applicable[behaviour]
            and not (self.passed[behaviour] or self.failed[behaviour])
        )

    def uncovered(self) -> list[str] | None:
        """The IDs without a passing scenario (not counting the unsupported ones); None for a
        partial run (an ID without a scenario in it), which is not judged."""
        if any(not self.selected[behaviour] for behaviour in self.ids):
            return None
        unsupported = set(self.unsupported())
        return sorted(b for b in self.ids if not self.passed[b] and b not in unsupported)


class BehaviourCatalogue:
    def __init__(self, path: Path, shown_as: str) -> None:
        self.path = path
        self.shown_as = shown_as
        self.ids = read_catalogue(path)
        self.tally = Tally(self.ids)
        self._passed_calls: set[str] = set()  # tests whose call passed, until their teardown
        self.failing: list[str] | None = None  # the run's verdict: None when not judged

    def behaviour(self, tag: str) -> str | None:
        """The catalogue ID (lower case) a tag names; None for a tag that is not ID-shaped.

        Raises :class:`pytest.UsageError` for an ID the catalogue does not list."""
        if not ID_PATTERN.fullmatch(tag):
            return None
        if tag.lower() not in self.ids:
            raise pytest.UsageError(
                f"unknown behaviour tag @{tag}: {self.shown_as} lists no {tag.upper()}; "
                f"add its line there first, or fix the tag"
            )
        return tag.lower()

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection(self, session: pytest.Session) -> None:
        """Refuse an unknown ID in the feature files beside the catalogue, wherever it is
        written (an ``Examples:`` block's tags reach no other check of ours)."""
        for feature in sorted(self.path.parent.rglob("*.feature")):
            for line in feature.read_text(encoding="utf-8").splitlines():
                if line.lstrip().startswith("@"):
                    for tag in TAG.findall(line.split(" #", 1)[0]):
                        self.behaviour(tag)

    @pytest.hookimpl(tryfirst=True)
    def pytest_bdd_apply_tag(self, tag: str, function: Any) -> Any:
        behaviour = self.behaviour(tag)
        if behaviour is None:
            return None
        getattr(pytest.mark, behaviour)(function)
        return True

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        """An ``Examples:`` block's ``@B09`` is the mark ``B09``: give its items ``b09`` too,
        before ``-m`` deselects."""
        for item in items:
            for mark in list(item.iter_markers()):
                behaviour = self.behaviour(mark.name)
                if behaviour is not None and behaviour != mark.name:
                    item.add_marker(behaviour)

    def behaviours_of(self, report: pytest.TestReport) -> set[str]:
        return {keyword for keyword in report.keywords if keyword in self.ids}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Count a scenario as its reports come (setup, call, teardown, in this order for each
        test, from xdist's workers too): a teardown failing after a passed call takes the pass
        back, so the scenario counts as failed (pytest reports an error; the Cucumber JSON a
        failed after hook)."""
        behaviours = self.behaviours_of(report)
        call_passed = report.nodeid in self._passed_calls
        if report.when == "setup":
            for behaviour in behaviours:
                self.tally.selected[behaviour] += 1
        elif report.when == "teardown":
            self._passed_calls.discard(report.nodeid)
        if report.when == "call" and report.passed:
            self._passed_calls.add(report.nodeid)
            counts = self.tally.passed
        elif not_applicable_reason(report):
            counts = self.tally.not_applicable
        elif report.failed:
            if report.when == "teardown" and call_passed:
                for behaviour in behaviours:
                    self.tally.passed[behaviour] -= 1
            counts = self.tally.failed
        else:
            return
        for behaviour in behaviours:
            counts[behaviour] += 1

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if hasattr(session.config, "workerinput"):
            return  # the controller judges the whole run
        self.failing = self.tally.uncovered()
        if self.failing:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.failing is None:
            return  # a partial run (or an xdist worker): not judged
        unsupported = self.tally.unsupported()
        if unsupported:
            terminalreporter.write_line(
                "behaviours not applicable to this connector: "
                + ", ".join(behaviour.upper() for behaviour in unsupported),
                yellow=True,
            )
        if self.failing:
            terminalreporter.write_line(
                "behaviours without a passing scenario: "
                + ", ".join(behaviour.upper() for behaviour in self.failing)
                + f" (see {self.shown_as})",
                red=True,
            )


def add_option(parser: pytest.Parser) -> None:
    parser.addini(
        "behaviour_catalogue",
        "the behaviour catalogue (Markdown, one '| B09 | text |' row per ID), relative to "
        "the rootdir: every ID must have a passing scenario in a full run",
        default="",
    )


def configure(config: pytest.Config) -> None:
    name = config.getini("behaviour_catalogue")
    if not name:
        return
    path = Path(config.rootpath) / name
    catalogue = BehaviourCatalogue(path, shown_as=name)
    for behaviour, text in catalogue.ids.items():
        config.addinivalue_line("markers", f"{behaviour}: {text}")
    for behaviour in catalogue.ids:  # an Examples block's tags become marks as written
        config.addinivalue_line(
            "markers", f"{behaviour.upper()}: the tag @{behaviour.upper()} (select -m {behaviour})"
        )
    config.pluginmanager.register(catalogue, "catalogue-coverage")  # store mode turns it off
