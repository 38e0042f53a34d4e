"""How a conformance run reads: not-applicable scenarios apart, and a summary by behaviour.

A scenario that needs a capability its driver does not declare is skipped with a reason
starting ``not applicable:``. :class:`ConformanceReport` gives those their own word in
pytest's summary line (``3 not applicable``) and, after a run against a foreign connector,
lists the behaviours passed, failed and not applicable, with the command to re-run one.
Reports are read by their keywords, so the summary is right under xdist too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import pytest

from inksoft_testkit.drivers.base import NOT_APPLICABLE

PASSED, FAILED, NOT_APPLICABLE_OUTCOME = "passed", "failed", "not applicable"


def skip_reason(report: pytest.TestReport) -> str | None:
    """Why this phase of a test was skipped (``pytest.skip``'s reason), or None when it was
    not."""
    if not report.skipped or not isinstance(report.longrepr, (tuple, list)):
        return None
    return str(report.longrepr[2]).removeprefix("Skipped: ")


def not_applicable_reason(report: pytest.TestReport) -> str | None:
    """The reason a scenario is not applicable, or None when it ran (or was skipped for
    another reason)."""
    reason = skip_reason(report)
    return reason if reason is not None and reason.startswith(NOT_APPLICABLE) else None


class ConformanceReport:
    """``catalogue``: behaviour ID (the marker, lower case) → its one-line text."""

    def __init__(self, catalogue: Mapping[str, str], foreign_option: str | None) -> None:
        self.catalogue = catalogue
        self.foreign_option = foreign_option
        self.outcomes: dict[str, str] = {}  # scenario node ID → its outcome
        self.behaviours: dict[str, set[str]] = {}  # scenario node ID → its behaviour IDs

    @pytest.hookimpl(tryfirst=True)
    def pytest_report_teststatus(
        self, report: pytest.TestReport, config: pytest.Config
    ) -> tuple[str, str, tuple[str, dict[str, bool]]] | None:
        if not_applicable_reason(report):
            return NOT_APPLICABLE_OUTCOME, "n", ("NOT APPLICABLE", {"yellow": True})
        return None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        ids = {name for name in report.keywords if name in self.catalogue}
        if not ids:
            return
        self.behaviours[report.nodeid] = ids
        if report.failed:
            self.outcomes[report.nodeid] = FAILED
        elif report.when == "call" and self.outcomes.get(report.nodeid) != FAILED:
            if report.passed:
                self.outcomes[report.nodeid] = PASSED
            elif not_applicable_reason(report):
                self.outcomes[report.nodeid] = NOT_APPLICABLE_OUTCOME

    def by_behaviour(self) -> dict[str, list[str]]:
        """Each outcome's behaviour IDs: failed if any scenario failed, else passed if any
        passed, else not applicable if any was."""
        seen: dict[str, set[str]] = defaultdict(set)
        for nodeid, outcome in self.outcomes.items():
            for behaviour in self.behaviours[nodeid]:
                seen[behaviour].add(outcome)
        grouped: dict[str, list[str]] = {PASSED: [], FAILED: [], NOT_APPLICABLE_OUTCOME: []}
        for behaviour in sorted(seen):
            for outcome in (FAILED, PASSED, NOT_APPLICABLE_OUTCOME):
                if outcome in seen[behaviour]:
                    grouped[outcome].append(behaviour)
                    break
        return grouped

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.foreign_option is None or not self.outcomes:
            return
        grouped = self.by_behaviour()
        write = terminalreporter.write_line
        terminalreporter.section(f"conformance of {self.foreign_option}")
        colours = {PASSED: "green", FAILED: "red", NOT_APPLICABLE_OUTCOME: "yellow"}
        for outcome, colour in colours.items():
            ids = " ".join(behaviour.upper() for behaviour in grouped[outcome]) or "-"
            write(f"{outcome} ({len(grouped[outcome])}): {ids}", **{colour: True})
        for behaviour in grouped[FAILED]:
            write(f"  {behaviour.upper()} {self.catalogue[behaviour]}")
            write(f"    re-run: {self.rerun(behaviour)}")
        if not grouped[FAILED]:
            write(f"re-run one behaviour: {self.rerun('b09')}")

    def rerun(self, behaviour: str) -> str:
        return f"pytest tests/bdd -m {behaviour} {self.foreign_option}"
