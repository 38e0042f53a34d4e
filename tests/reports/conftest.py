"""The report tests' runs of the small project (``report_project.py``) in processes of their
own, shared by the test modules, and started together: they overlap on the machine's cores.

- the failing run (serial; a failing step, failing fixtures) and the parallel one (``-n 2``,
  every behaviour covered), each writing both reports, for the Cucumber JSON and HTML tests;
- two ``-n 2`` runs for the catalogue check: one with a behaviour whose scenario fails and one
  whose scenario is skipped, one with a behaviour not applicable to the connector.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

import pytest
import report_project as project

Runs = dict[str, project.ProjectRun]  # by name: each run's folder and finished process
RunOf = Callable[[str], project.ProjectRun]


def reports() -> list[str]:
    """Both reports in ``reports/``: Cucumber's HTML one where Node.js is installed (where it
    is not, the HTML tests skip or, under CI, fail)."""
    written = ["--cucumberjson=reports/cucumber.json"]
    if shutil.which("node") and shutil.which("npm"):
        written.append("--cucumber-html=reports/report.html")
    return written


def run_together(factory: pytest.TempPathFactory, **runs: tuple[str, list[str]]) -> Runs:
    """Each project (its evidence feature) run with its arguments, all at once."""
    started = {}
    for name, (evidence, args) in runs.items():
        root = project.write(factory.mktemp(name), evidence=evidence)
        started[name] = root, project.start_pytest(root, *args)
    return {name: (root, project.finished(run)) for name, (root, run) in started.items()}


def lazily(start: Callable[[], Runs]) -> RunOf:
    """The runs, started together when the first of them is asked for."""
    done: Runs = {}

    def run(name: str) -> project.ProjectRun:
        if not done:
            done.update(start())
        return done[name]

    return run


@pytest.fixture(scope="session")
def report_runs(tmp_path_factory: pytest.TempPathFactory) -> RunOf:
    return lazily(
        lambda: run_together(
            tmp_path_factory,
            failing=(project.EVIDENCE_FEATURE, reports()),
            parallel=(project.PASSING_EVIDENCE, ["-n", "2", *reports()]),
        )
    )


@pytest.fixture(scope="session")
def failing_project_run(report_runs: RunOf) -> project.ProjectRun:
    """The project run serially, with a failing step and failing fixtures: its folder (the
    reports in ``reports/``) and the finished process."""
    return report_runs("failing")


@pytest.fixture(scope="session")
def parallel_project_run(report_runs: RunOf) -> project.ProjectRun:
    """The project run under xdist (``-n 2``), every behaviour with a passing scenario: its
    folder (the reports in ``reports/``) and the finished process."""
    return report_runs("parallel")


UNCOVERED_N2 = project.evidence_with(
    the_window="Then its label is refused", the_errors="And this scenario is skipped"
)
NOT_APPLICABLE_N2 = project.evidence_with(the_errors="And a capability the connector lacks")


@pytest.fixture(scope="session")
def catalogue_runs(tmp_path_factory: pytest.TempPathFactory) -> RunOf:
    """Under xdist: C01's scenario failing and P01's skipped (``uncovered``); P01's not
    applicable (``not_applicable``)."""
    return lazily(
        lambda: run_together(
            tmp_path_factory,
            uncovered=(UNCOVERED_N2, ["-n", "2"]),
            not_applicable=(NOT_APPLICABLE_N2, ["-n", "2"]),
        )
    )
