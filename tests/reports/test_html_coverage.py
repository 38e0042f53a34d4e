"""The HTML report's *Behaviour catalogue coverage* judges as the run's own catalogue check.

A scenario not applicable to the connector under test (a skip whose reason starts ``not
applicable: ``) is carried in the Cucumber JSON as its skipped step's (or hook's)
``error_message``; the coverage counts it apart, names an ID whose scenarios were all not
applicable and does not fail on it. Most cases run on small Cucumber JSON inputs; two read
the JSON of the shared runs of ``report_project.py`` beside the run's own verdict, and two run
the project in process for the skips outside a step.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import report_project as project
from gherkin.parser import Parser

from inksoft_testkit.catalogue import read_catalogue
from inksoft_testkit.cucumber_html import coverage, coverage_feature

pytestmark = pytest.mark.awaits_background_run  # run after the rest (background_runs)

pytest_plugins = ["pytester"]

CATALOGUE = {"b01": "Orders import", "p01": "Errors name what to change"}
NA_REASON = "not applicable: the connector declares no labels"
SCHEMA = Path(__file__).resolve().parents[2] / "fixtures" / "cucumber-json-schema"


def element(tag: str, *statuses: str, reason: str = "", before: str = "") -> dict:
    """A scenario tagged ``tag`` whose steps ended with these statuses; the first skipped
    step carries ``reason``; ``before``: a skipped setup hook's reason instead."""
    steps = [{"result": {"status": status}} for status in statuses]
    if reason:
        next(s for s in steps if s["result"]["status"] == "skipped")["result"]["error_message"] = (
            reason
        )
    found = {"tags": [{"name": tag}], "steps": steps}
    if before:
        found["before"] = [{"result": {"status": "skipped", "error_message": before}}]
    return found


def judged(*elements: dict) -> tuple[list[list[str]], str, dict]:
    """The coverage table's rows (header first), its scenario's text and its step's result."""
    text, feature = coverage_feature(
        coverage([{"elements": list(elements)}], CATALOGUE), CATALOGUE, "c.md"
    )
    document: Any = Parser().parse(text)  # valid Gherkin: Cucumber's own parser reads it
    scenario = document["feature"]["children"][0]["scenario"]
    rows = [
        [cell["value"] for cell in row["cells"]]
        for row in scenario["steps"][0]["dataTable"]["rows"]
    ]
    heading = scenario["name"] + "\n" + scenario["description"]
    return rows, heading, feature["elements"][0]["steps"][0]["result"]


PASSING_B01 = element("@B01", "passed", "passed")


def test_an_id_whose_scenarios_were_all_not_applicable_is_named_apart_and_passes():
    rows, heading, result = judged(
        PASSING_B01,
        element("@p01", "passed", "skipped", "skipped", reason=NA_REASON),
        element("@p01", "skipped", before=NA_REASON),
    )
    assert rows == [
        ["ID", "behaviour", "scenarios", "passed", "failed", "not applicable"],
        ["B01", "Orders import", "1", "1", "0", "0"],
        ["P01", "Errors name what to change", "2", "0", "0", "2"],
    ]
    assert "Behaviours not applicable to this connector: P01" in heading
    assert result == {"status": "passed", "duration": 0}


def test_a_skip_for_another_reason_is_not_not_applicable():
    rows, heading, result = judged(
        PASSING_B01, element("@p01", "passed", "skipped", reason="skipped on purpose")
    )
    assert rows[2] == ["P01", "Errors name what to change", "1", "0", "0", "0"]
    assert "not applicable" not in heading
    assert result["status"] == "failed"
    assert result["error_message"] == "behaviours without a passing scenario: P01"


def test_a_not_applicable_and_a_failing_scenario_fail_the_id():
    rows, heading, result = judged(
        PASSING_B01,
        element("@p01", "skipped", reason=NA_REASON),
        element("@P01", "passed", "failed"),
    )
    assert rows[2] == ["P01", "Errors name what to change", "2", "0", "1", "1"]
    assert "not applicable" not in heading
    assert result["error_message"] == "behaviours without a passing scenario: P01"


def test_a_not_applicable_and_a_passing_scenario_cover_the_id_as_passed():
    rows, heading, result = judged(
        PASSING_B01, element("@p01", "skipped", reason=NA_REASON), element("@p01", "passed")
    )
    assert rows[2] == ["P01", "Errors name what to change", "2", "1", "0", "1"]
    assert "not applicable" not in heading and result["status"] == "passed"


def test_a_not_applicable_and_a_plainly_skipped_scenario_are_not_applicable_as_the_check():
    """catalogue.py: an ID with a not-applicable scenario and none passed or failed."""
    _, heading, result = judged(
        PASSING_B01,
        element("@p01", "skipped", reason=NA_REASON),
        element("@p01", "skipped", reason="skipped on purpose"),
    )
    assert "Behaviours not applicable to this connector: P01" in heading
    assert result["status"] == "passed"


def test_a_scenario_whose_teardown_failed_after_its_steps_passed_has_not_passed():
    """As the run's check: a failed after hook (a fixture's teardown) takes the pass back."""
    torn_down = element("@p01", "passed", "passed")
    torn_down["after"] = [{"result": {"status": "failed", "error_message": "RuntimeError"}}]
    rows, _, result = judged(PASSING_B01, torn_down)
    assert rows[2] == ["P01", "Errors name what to change", "1", "0", "1", "0"]
    assert result["error_message"] == "behaviours without a passing scenario: P01"


def test_a_partial_run_with_a_not_applicable_scenario_is_not_judged():
    rows, heading, result = judged(element("@p01", "skipped", reason=NA_REASON))
    assert rows[1] == ["B01", "Orders import", "0", "0", "0", "0"]
    assert result["status"] == "skipped" and "not judged: a partial run" in heading
    assert "not applicable to this connector" not in heading


# --- Real runs: the Cucumber JSON says why, and the coverage agrees with the run ------------


def run_json(run: project.ProjectRun) -> list[dict]:
    return json.loads((run[0] / "reports" / "cucumber.json").read_text("utf-8"))


def steps_of(features: list[dict], name: str) -> list[dict]:
    [found] = [e for f in features for e in f["elements"] if e["name"] == name]
    return found["steps"]


def project_coverage(features: list[dict], root: Path) -> tuple[str, dict]:
    ids = read_catalogue(root / "features" / "behaviours.md")
    text, feature = coverage_feature(coverage(features, ids), ids, "features/behaviours.md")
    return text, feature["elements"][0]["steps"][0]["result"]


def test_a_not_applicable_step_carries_its_reason_and_the_coverage_passes_as_the_run(
    not_applicable_project_run,
):
    import jsonschema  # type: ignore[import-untyped]

    root, done = not_applicable_project_run  # under xdist, P01's one scenario not applicable
    assert done.returncode == pytest.ExitCode.OK, done.stdout + done.stderr
    assert "behaviours not applicable to this connector: P01" in done.stdout
    features = run_json(not_applicable_project_run)
    jsonschema.validate(features, json.loads((SCHEMA / "cucumber-jvm.json").read_text("utf-8")))
    given, lacking = steps_of(features, "The errors")
    assert given["result"]["status"] == "passed" and "error_message" not in given["result"]
    assert lacking["result"] == {
        "status": "skipped",
        "duration": 0,
        "error_message": "not applicable: the connector declares no labels",
    }
    text, result = project_coverage(features, root)
    assert "Behaviours not applicable to this connector: P01" in text
    assert result["status"] == "passed"


def test_a_plain_skip_carries_its_reason_and_the_coverage_fails_as_the_run(uncovered_project_run):
    """Under xdist: C01's scenario failing, P01's skipped, B03's teardown failing."""
    root, done = uncovered_project_run
    assert done.returncode == pytest.ExitCode.TESTS_FAILED, done.stdout + done.stderr
    assert "behaviours without a passing scenario: B03, C01, P01" in done.stdout
    features = run_json(uncovered_project_run)
    skipped = steps_of(features, "The errors")[1]["result"]
    assert skipped["status"] == "skipped" and skipped["error_message"] == "skipped on purpose"
    [notes] = [
        e for f in features for e in f["elements"] if e["name"] == "The notes reach the buyer"
    ]
    assert [s["result"]["status"] for s in notes["steps"]] == ["passed", "passed"]
    assert [h["result"]["status"] for h in notes["after"]] == ["failed"]
    text, result = project_coverage(features, root)
    assert result["error_message"] == "behaviours without a passing scenario: B03, C01, P01"
    assert "not applicable to this connector" not in text


def test_a_fixture_that_finds_a_scenario_not_applicable_is_a_skipped_before_hook(pytester):
    evidence = project.PASSING_EVIDENCE.replace("  @p01\n", "  @p01 @lacks_products\n")
    project.write(pytester.path, evidence=evidence)
    result = pytester.runpytest_inprocess("--cucumberjson=out.json")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    result.stdout.fnmatch_lines(["behaviours not applicable to this connector: P01"])
    features = json.loads((pytester.path / "out.json").read_text("utf-8"))
    [errors] = [e for f in features for e in f["elements"] if e["name"] == "The errors"]
    [before] = errors["before"]
    assert before["result"]["status"] == "skipped"
    assert before["result"]["error_message"] == (
        "not applicable: the connector declares no products"
    )
    assert [s["result"]["status"] for s in errors["steps"]] == ["skipped"]
    assert "error_message" not in errors["steps"][0]["result"]
    text, coverage_result = project_coverage(features, pytester.path)
    assert "Behaviours not applicable to this connector: P01" in text
    assert coverage_result["status"] == "passed"


def test_a_scenario_skipped_in_its_test_function_says_why_on_an_after_hook(pytester):
    project.write(pytester.path)
    (pytester.path / "test_body.py").write_text(
        "from pytest_bdd import scenario\n"
        "from inksoft_testkit.drivers.base import not_applicable\n\n\n"
        '@scenario("orders.feature", "Orders import with their items")\n'
        "def test_body():\n"
        '    not_applicable("the connector declares no tracking")\n',
        encoding="utf-8",
    )
    result = pytester.runpytest_inprocess("test_body.py", "--cucumberjson=out.json")
    features = json.loads((pytester.path / "out.json").read_text("utf-8"))
    [scenario] = features[0]["elements"]
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert [s["result"]["status"] for s in scenario["steps"]] == ["passed"] * 3
    assert [h["result"] for h in scenario["after"]] == [
        {
            "status": "skipped",
            "duration": 0,
            "error_message": "not applicable: the connector declares no tracking",
        }
    ]
