"""The report tests' one serial run of the small project (``report_project.py``), shared by
the Cucumber JSON and HTML tests: one pytest process writes both reports."""

from __future__ import annotations

import shutil

import pytest
import report_project as project


@pytest.fixture(scope="session")
def failing_project_run(tmp_path_factory: pytest.TempPathFactory) -> project.FailingRun:
    """The project run serially, with a failing step and failing fixtures: its folder (the
    reports in ``reports/``) and the finished process. Cucumber's HTML report is written too
    where Node.js is installed (where it is not, the HTML tests skip or, under CI, fail)."""
    root = project.write(tmp_path_factory.mktemp("failing"))
    reports = ["--cucumberjson=reports/cucumber.json"]
    if shutil.which("node") and shutil.which("npm"):
        reports.append("--cucumber-html=reports/report.html")
    return root, project.run_pytest(root, *reports)
