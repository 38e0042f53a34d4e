"""The report tests' runs of the small project (``report_project.py``), each in processes of
its own, shared by the test modules:

- the failing run (serial; a failing step, failing fixtures) and the parallel one (``-n 2``,
  every behaviour covered), each writing both reports, for the Cucumber JSON and HTML tests;
- two ``-n 2`` runs for the catalogue check (and the HTML report's coverage, which must agree:
  both write the Cucumber JSON): C01's scenario failing, P01's skipped and B03's teardown
  failing; P01's one scenario not applicable to the connector.

Each is declared to ``background_runs``: in a serial run of the suite, the runs its selected
tests will ask for start as soon as the tests are collected, and use the machine's other cores
while the suite's tests run in this one; under xdist each starts when first asked for.
"""

from __future__ import annotations

import shutil

import pytest
import report_project as project
from background_runs import BackgroundRun, Start, declare, session_runs, temporary_folder


def reports() -> list[str]:
    """Both reports in ``reports/``: Cucumber's HTML one where Node.js is installed (where it
    is not, the HTML tests skip or, under CI, fail)."""
    written = ["--cucumberjson=reports/cucumber.json"]
    if shutil.which("node") and shutil.which("npm"):
        written.append("--cucumber-html=reports/report.html")
    return written


TEARDOWN_FAILING_ORDERS = project.ORDERS_FEATURE.replace(
    "  @b03\n", "  @b03 @broken_teardown\n"
)  # B03's one scenario passes its steps, then a fixture's teardown fails

RUNS = {  # by the name of the fixture that gives it: the features written, pytest's arguments
    "failing_project_run": ({"evidence": project.EVIDENCE_FEATURE}, reports()),
    "parallel_project_run": ({"evidence": project.PASSING_EVIDENCE}, ["-n", "2", *reports()]),
    "uncovered_project_run": (
        {
            "orders": TEARDOWN_FAILING_ORDERS,
            "evidence": project.evidence_with(
                the_window="Then its label is refused", the_errors="And this scenario is skipped"
            ),
        },
        ["-n", "2", "--cucumberjson=reports/cucumber.json"],
    ),
    "not_applicable_project_run": (
        {"evidence": project.evidence_with(the_errors="And a capability the connector lacks")},
        ["-n", "2", "--cucumberjson=reports/cucumber.json"],
    ),
}


def project_start(name: str) -> Start:
    """How :data:`RUNS`' run ``name`` starts: in a folder of its own in the session's basetemp,
    the project in ``project/`` there."""
    features, args = RUNS[name]

    def start(config: pytest.Config) -> BackgroundRun:
        folder = temporary_folder(config, name)
        root = project.write(folder / "project", **features)
        return project.start_pytest(root, *args, output=folder)

    return start


for _name in RUNS:
    declare(_name, project_start(_name))


def finished(config: pytest.Config, name: str) -> project.ProjectRun:
    run = session_runs(config).run(name)
    return run.folder / "project", run.finished()


@pytest.fixture(scope="session")
def failing_project_run(pytestconfig: pytest.Config) -> project.ProjectRun:
    """The project run serially, with a failing step and failing fixtures: its folder (the
    reports in ``reports/``) and the finished process."""
    return finished(pytestconfig, "failing_project_run")


@pytest.fixture(scope="session")
def parallel_project_run(pytestconfig: pytest.Config) -> project.ProjectRun:
    """The project run under xdist (``-n 2``), every behaviour with a passing scenario: its
    folder (the reports in ``reports/``) and the finished process."""
    return finished(pytestconfig, "parallel_project_run")


@pytest.fixture(scope="session")
def uncovered_project_run(pytestconfig: pytest.Config) -> project.ProjectRun:
    """Under xdist: C01's one scenario failing, P01's skipped, B03's teardown failing."""
    return finished(pytestconfig, "uncovered_project_run")


@pytest.fixture(scope="session")
def not_applicable_project_run(pytestconfig: pytest.Config) -> project.ProjectRun:
    """Under xdist: P01's one scenario not applicable to the connector."""
    return finished(pytestconfig, "not_applicable_project_run")
