"""The report tests' runs of the small project (``report_project.py``), each in processes of
its own, shared by the test modules:

- the failing run (serial; a failing step, failing fixtures) and the parallel one (``-n 2``,
  every behaviour covered), each writing both reports, for the Cucumber JSON and HTML tests;
- two ``-n 2`` runs for the catalogue check (and the HTML report's coverage, which must agree:
  both write the Cucumber JSON): C01's scenario failing, P01's skipped and B03's teardown
  failing; P01's one scenario not applicable to the connector.

In a serial run of the suite, the runs its selected tests will ask for start as soon as the
tests are collected: they use the machine's other cores while the suite's tests run in this
one. Under xdist (whose workers keep the cores busy) each starts when first asked for.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import report_project as project
from background_runs import BackgroundRun, is_xdist_worker, temporary_folder


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


class ProjectRuns:
    """The runs of :data:`RUNS`, each started once, in a folder of its own in the session's
    basetemp."""

    def __init__(self, config: pytest.Config) -> None:
        self._config = config
        self._started: dict[str, tuple[Path, BackgroundRun]] = {}
        self._finished: dict[str, project.ProjectRun] = {}

    def start(self, name: str) -> None:
        if name not in self._started:
            features, args = RUNS[name]
            folder = temporary_folder(self._config, name)
            root = project.write(folder / "project", **features)
            self._started[name] = root, project.start_pytest(root, *args, output=folder)

    def finished(self, name: str) -> project.ProjectRun:
        self.start(name)
        if name not in self._finished:
            root, run = self._started[name]
            self._finished[name] = root, run.finished()
        return self._finished[name]

    def stop(self) -> None:
        """End the runs still going (asked for by none of the tests run), remove the folders."""
        for root, run in self._started.values():
            run.stop()
            shutil.rmtree(root.parent, ignore_errors=True)
        self._started.clear()
        self._finished.clear()


PROJECT_RUNS = pytest.StashKey[ProjectRuns]()  # the session's, in config.stash


def project_runs_of(config: pytest.Config) -> ProjectRuns:
    """The session's runs, stopped when it ends."""
    if PROJECT_RUNS not in config.stash:
        runs = config.stash[PROJECT_RUNS] = ProjectRuns(config)
        config.add_cleanup(runs.stop)
    return config.stash[PROJECT_RUNS]


def pytest_collection_finish(session: pytest.Session) -> None:
    """In a serial run, the runs the selected tests ask for start now (module docstring)."""
    if is_xdist_worker(session.config) or session.config.option.collectonly:
        return
    wanted = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    for name in sorted(wanted & RUNS.keys()):
        project_runs_of(session.config).start(name)


@pytest.fixture(scope="session")
def project_runs(pytestconfig: pytest.Config) -> ProjectRuns:
    return project_runs_of(pytestconfig)


@pytest.fixture(scope="session")
def failing_project_run(project_runs: ProjectRuns) -> project.ProjectRun:
    """The project run serially, with a failing step and failing fixtures: its folder (the
    reports in ``reports/``) and the finished process."""
    return project_runs.finished("failing_project_run")


@pytest.fixture(scope="session")
def parallel_project_run(project_runs: ProjectRuns) -> project.ProjectRun:
    """The project run under xdist (``-n 2``), every behaviour with a passing scenario: its
    folder (the reports in ``reports/``) and the finished process."""
    return project_runs.finished("parallel_project_run")


@pytest.fixture(scope="session")
def uncovered_project_run(project_runs: ProjectRuns) -> project.ProjectRun:
    """Under xdist: C01's one scenario failing, P01's skipped, B03's teardown failing."""
    return project_runs.finished("uncovered_project_run")


@pytest.fixture(scope="session")
def not_applicable_project_run(project_runs: ProjectRuns) -> project.ProjectRun:
    """Under xdist: P01's one scenario not applicable to the connector."""
    return project_runs.finished("not_applicable_project_run")
