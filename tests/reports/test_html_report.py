"""``--cucumber-html``: Cucumber's own HTML report, opened in headless Chromium.

The report of a small generated project (``report_project.py``): every feature listed, a data
table with its rows, rules, tags and doc strings, a failure with its evidence, the *Behaviour
catalogue coverage* feature. The report needs Node.js: without it these tests skip and say
so, except under CI (``CI`` set), where they fail. The page's screenshot is left in
``reports/cucumber-report.png`` when the top-level ``reports/`` folder exists (``.ci/run``
makes it).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import report_project as project
from background_runs import BackgroundRun, is_xdist_worker

pytestmark = pytest.mark.awaits_background_run  # run after the rest (background_runs)

if TYPE_CHECKING:  # imported by pytest as a plugin (pytest_plugins), before any use here
    from browser_support import SharedChromium

ROOT = Path(__file__).resolve().parents[2]
TOOL_DIR = ROOT / "tools" / "cucumber-html"
SCREENSHOT = ROOT / "reports" / "cucumber-report.png"


pytest_plugins = ["browser_support"]

MUST = "check the HTML report"  # what CI must do, where a missing tool would skip it


@pytest.fixture(scope="module")
def node() -> str:
    from browser_support import unavailable

    found = shutil.which("node")
    if found is None or shutil.which("npm") is None:
        unavailable(MUST, "the HTML report needs Node.js (node and npm): none is installed")
    assert found is not None
    return found


@pytest.fixture(scope="module")
def failing_run(node: str, failing_project_run: project.ProjectRun) -> Path:
    """A serial run with a failing step and failing fixtures: both reports written."""
    root, done = failing_project_run
    assert done.returncode == pytest.ExitCode.TESTS_FAILED, done.stdout + done.stderr
    assert "generated HTML report:" in done.stdout, done.stdout
    return root


@pytest.fixture(scope="module")
def browser(node: str, chromium: SharedChromium) -> Any:
    return chromium.browser(MUST)


def start_opening(browser: Any, path: Path) -> Any:
    """A new page loading the report at ``path``: :func:`opened` waits until it shows (Chromium
    renders it meanwhile, in a process of its own)."""
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    page.set_default_timeout(15_000)
    page.goto(path.as_uri(), wait_until="commit")
    return page


def opened(page: Any) -> Any:
    """The page once loaded (its scripts run) and showing the report."""
    page.wait_for_load_state("load")
    page.get_by_text("Scenarios", exact=True).wait_for()
    return page


def open_report(browser: Any, path: Path) -> Any:
    return opened(start_opening(browser, path))


@pytest.fixture(scope="module")
def parallel_report(browser: Any, parallel_project_run: project.ProjectRun) -> Iterator[Any]:
    """A page loading the parallel run's HTML report, if it was written."""
    path = parallel_project_run[0] / "reports" / "report.html"
    page = start_opening(browser, path) if path.exists() else None
    yield page
    if page is not None:
        page.close()


@pytest.fixture(scope="module")
def report(browser: Any, failing_run: Path, parallel_report: Any) -> Iterator[Any]:
    """The failing run's report, shown; the parallel run's loads meanwhile, in its own page."""
    page = open_report(browser, failing_run / "reports" / "report.html")
    yield page
    page.close()


Rendered = dict[str, tuple[Path, BackgroundRun]]  # by name: its folder, its process


@pytest.fixture(scope="module")
def rendered(
    node: str, failing_run: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Rendered]:
    """The failing run's JSON report rendered by command line, in processes of their own:
    ``partial`` (its orders feature, by ``python -m inksoft_testkit.cucumber_html``) and
    ``multiple`` (by multiple-cucumber-html-reporter)."""
    features = json.loads((failing_run / "reports" / "cucumber.json").read_text("utf-8"))
    partial = tmp_path_factory.mktemp("partial")
    (partial / "partial.json").write_text(
        json.dumps([f for f in features if "orders" in f["uri"]]), "utf-8"
    )
    command = [sys.executable, "-m", "inksoft_testkit.cucumber_html", str(partial / "partial.json")]
    command += [str(partial / "out.html"), "--catalogue", "features/behaviours.md"]
    multiple = tmp_path_factory.mktemp("multiple")
    (multiple / "json").mkdir()
    shutil.copy(failing_run / "reports" / "cucumber.json", multiple / "json")
    reporter = [node, str(TOOL_DIR / "json-report.mjs"), str(multiple / "json")]
    reporter.append(str(multiple / "out"))
    started = {
        "partial": (partial, BackgroundRun(command, cwd=failing_run, folder=partial)),
        "multiple": (multiple, BackgroundRun(reporter, cwd=multiple, folder=multiple)),
    }
    yield started
    for _, render in started.values():
        render.stop()


@pytest.fixture(scope="module", autouse=True)
def rendered_early(request: pytest.FixtureRequest) -> None:
    """In a serial run, the renders start with the module's first test, which they overlap
    (under xdist, whose workers keep the cores busy, with the first test that asks)."""
    if not is_xdist_worker(request.config) and any(
        "rendered" in item.fixturenames for item in request.session.items
    ):
        request.getfixturevalue("rendered")


def unfold(page: Any, uri: str) -> None:
    """Open one feature file's part of the report (a passing one starts folded)."""
    header = page.get_by_role("button", name=uri)
    if header.get_attribute("aria-expanded") != "true":
        header.click()


def table_rows(table: Any) -> list[list[str]]:
    return [
        [cell.strip() for cell in row.locator("td, th").all_inner_texts()]
        for row in table.locator("tr").all()
    ]


def test_the_report_is_one_self_contained_file(failing_run):
    html = (failing_run / "reports" / "report.html").read_text(encoding="utf-8")
    assert re.search(r"<script[^>]+src=", html) is None
    assert re.search(r"<link[^>]+stylesheet", html) is None
    assert re.search(r"""(src|href)=["']?(https?:|//|\./|[a-z]+/)""", html) is None
    written = sorted(path.name for path in (failing_run / "reports").iterdir())
    assert written == ["cucumber.json", "report.html"]  # no folder of assets beside it


def test_every_feature_is_listed(report):
    for uri in (
        "features/behaviours.md#coverage",
        "features/evidence.feature",
        "features/orders.feature",
    ):
        assert report.get_by_role("button", name=uri).is_visible(), uri
    if SCREENSHOT.parent.is_dir():  # the top-level reports/ folder: .ci/run keeps it
        report.screenshot(path=str(SCREENSHOT), full_page=True)


def test_a_scenarios_data_table_shows_its_rows(report):
    unfold(report, "features/orders.feature")
    table = report.locator("table").filter(has_text="T-shirt")
    assert table_rows(table) == [
        ["order", "item", "size"],
        ["1001", "T-shirt", "L"],
        ["1002", "Hoodie", "M"],
    ]


def test_rules_tags_and_doc_strings_show(report):
    unfold(report, "features/orders.feature")
    body = report.inner_text("body")
    assert "Rule: Labels need an address" in body
    assert "The carrier refuses a label without one." in body
    for tag in ("@orders", "@B01", "@b02", "@labels", "@uk"):
        assert report.get_by_text(tag, exact=True).first.is_visible(), tag
    assert report.get_by_text("Thanks for your order!").is_visible()
    assert "Examples: Domestic" in body


def test_a_failure_shows_its_evidence(report):
    body = report.inner_text("body")
    assert "AssertionError: the export answered 401" in body
    assert "RuntimeError: the setup broke" in body and "RuntimeError: the teardown broke" in body
    report.get_by_text("request journal", exact=True).click()
    journal = report.locator("pre, code").filter(has_text='"action": "export"').first
    text = journal.inner_text()
    assert '"status": 401' in text and "/10001/shipstation" in text


def test_the_catalogue_coverage_fails_naming_the_behaviours_without_a_passing_scenario(report):
    table = report.locator("table").filter(has_text="The window is asked in UTC")
    assert table_rows(table) == [
        ["ID", "behaviour", "scenarios", "passed", "failed", "not applicable"],
        ["B01", "Orders import", "1", "1", "0", "0"],
        ["B02", "Labels are made", "2", "2", "0", "0"],
        ["B03", "Notes reach the buyer", "1", "1", "0", "0"],
        ["C01", "The window is asked in UTC", "1", "0", "1", "0"],
        ["P01", "Errors name what to change", "2", "0", "2", "0"],
    ]
    assert report.get_by_text("behaviours without a passing scenario: C01, P01").is_visible()


def test_a_parallel_run_that_covers_the_catalogue_passes_it(parallel_project_run, parallel_report):
    _, done = parallel_project_run  # under xdist (-n 2)
    assert done.returncode == 0, done.stdout + done.stderr
    assert parallel_report is not None, "the run wrote no HTML report\n" + done.stdout
    page = opened(parallel_report)
    assert page.get_by_text("100% (7 / 7) passed").is_visible()
    for uri in ("features/evidence.feature", "features/orders.feature"):
        assert page.get_by_role("button", name=uri).is_visible(), uri


def test_the_command_line_renders_a_json_report_and_skips_the_check_of_a_partial_one(
    browser, rendered
):
    folder, started = rendered["partial"]
    done = started.finished()
    assert done.returncode == 0, done.stderr
    page = open_report(browser, folder / "out.html")
    assert page.get_by_role("button", name="features/orders.feature").is_visible()
    assert page.get_by_role("button", name="features/evidence.feature").count() == 0
    coverage = page.get_by_text(re.compile(r"^Scenario:.*not judged: a partial run"))
    assert coverage.is_visible()
    assert page.get_by_text("80% (4 / 5) passed").is_visible()  # the check skipped, not failed
    assert page.get_by_text("FAILED", exact=True).count() == 0
    page.close()


def test_the_json_report_renders_in_multiple_cucumber_html_reporter(rendered):
    folder, started = rendered["multiple"]
    done = started.finished()
    assert done.returncode == 0, done.stderr
    pages = {p.name.split("-", 5)[-1]: p for p in (folder / "out" / "features").glob("*.html")}
    assert sorted(pages) == ["evidence.html", "orders.html"]
    orders = pages["orders.html"].read_text(encoding="utf-8")
    assert "T-shirt" in orders and "Labels need an address › A label for a domestic order" in orders
