"""``--cucumberjson``: a complete Cucumber JSON report, the same serially and under xdist.

Most tests read the report of one run of a small generated project (``report_project.py``);
the serial = ``-n 2`` comparison runs the project's passing variant both ways.
"""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import report_project as project

pytestmark = pytest.mark.awaits_background_run  # run after the rest (background_runs)

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "fixtures" / "cucumber-json-schema" / "cucumber-jvm.json"


@pytest.fixture(scope="module")
def run(failing_project_run: project.ProjectRun) -> tuple[subprocess.CompletedProcess, list]:
    root, done = failing_project_run
    return done, json.loads((root / "reports" / "cucumber.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report(run: tuple[subprocess.CompletedProcess, list]) -> list[dict]:
    return run[1]


def scenario(report: list[dict], name: str) -> dict:
    found = [e for f in report for e in f["elements"] if name in e["name"]]
    assert len(found) == 1, f"{len(found)} scenarios named like {name!r}"
    return found[0]


def step(element: dict, name: str) -> dict:
    return next(s for s in element["steps"] if s["name"] == name)


def decoded(attachment: dict) -> str:
    return base64.b64decode(attachment["data"]).decode("utf-8")


def test_the_run_fails_as_its_scenarios_do_and_names_the_file(run):
    done, _ = run
    assert "1 failed, 5 passed, 2 errors" in done.stdout, done.stdout + done.stderr
    assert "generated Cucumber JSON file:" in done.stdout


def test_the_report_validates_against_cucumbers_schema(report):
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(report, schema)
    broken = [dict(report[0], elements=[{"name": "no steps, no keyword"}])]
    with pytest.raises(jsonschema.ValidationError):  # the schema does judge
        jsonschema.validate(broken, schema)


def test_features_by_file_scenarios_by_line(report):
    assert [f["uri"] for f in report] == ["features/evidence.feature", "features/orders.feature"]
    orders = report[1]
    assert orders["name"] == "Orders" and orders["description"] == "Orders come in and go out."
    assert [e["line"] for e in orders["elements"]] == [6, 15, 34, 38]


def test_a_data_table_is_written_with_its_rows(report):
    given = step(scenario(report, "Orders import"), "the orders")
    assert given["rows"] == [
        {"cells": ["order", "item", "size"]},
        {"cells": ["1001", "T-shirt", "L"]},
        {"cells": ["1002", "Hoodie", "M"]},
    ]


def test_a_doc_string_is_written_with_its_media_type_and_line(report):
    given = step(scenario(report, "The notes reach the buyer"), "the note")
    assert given["doc_string"] == {
        "value": "Thanks for your order!",
        "content_type": "text/plain",
        "line": 17,
    }
    assert "rows" not in given


def tags(element: dict) -> list[str]:
    return [tag["name"] for tag in element["tags"]]


def test_tags_carry_their_at_and_the_features_rules_and_examples_tags(report):
    assert tags(scenario(report, "Orders import")) == ["@orders", "@B01"]
    assert tags(scenario(report, "domestic order")) == ["@orders", "@labels", "@b02", "@uk"]
    assert tags(scenario(report, "abroad order")) == ["@orders", "@labels", "@b02"]
    assert [tag["name"] for tag in report[1]["tags"]] == ["@orders"]  # the feature's own


def test_outline_examples_are_named_with_their_values_and_numbered_as_cucumbers(report):
    domestic = scenario(report, "domestic order")
    abroad = scenario(report, "abroad order")
    assert domestic["name"].endswith("A label for a domestic order (kind: domestic; outcome: made)")
    assert abroad["name"].endswith("(kind: abroad; outcome: made)")
    assert domestic["line"] == 34 and abroad["line"] == 38  # the example rows' lines
    assert domestic["id"] == "orders;a-label-for-a-<kind>-order;domestic;2"
    assert abroad["id"] == "orders;a-label-for-a-<kind>-order;examples;2"
    assert step(domestic, "a domestic order")["line"] == 28  # the example's values filled in


def test_a_scenario_in_a_rule_is_named_and_described_with_the_rule(report):
    domestic = scenario(report, "domestic order")
    assert domestic["name"].startswith("Labels need an address › A label for")
    assert domestic["description"] == "Rule: Labels need an address"
    outside = scenario(report, "The notes reach the buyer")
    assert outside["name"] == "The notes reach the buyer" and outside["description"] == ""


def test_durations_are_nanoseconds_and_each_scenario_has_its_start(report):
    from datetime import datetime

    imported = scenario(report, "Orders import")
    durations = [s["result"]["duration"] for s in imported["steps"]]
    assert all(isinstance(d, int) and 1_000 < d < 10 * 10**9 for d in durations), durations
    # the mock request of the failing scenario took at least a millisecond (ns, not s or ms)
    request_step = step(scenario(report, "mock's journal"), "an export with a wrong password")
    assert request_step["result"]["duration"] > 10**6
    started = [datetime.fromisoformat(e["start_timestamp"]) for e in report[1]["elements"]]
    assert all(when.tzinfo is not None for when in started)


def test_each_step_names_where_its_definition_is_written(report):
    imported = scenario(report, "Orders import")
    lines = project.STEPS.splitlines()
    for entry in imported["steps"]:
        path, _, line = entry["match"]["location"].partition(":")
        assert path == "conftest.py"
        decorator = lines[int(line) - 1]  # inspect gives the decorator's line
        assert decorator.startswith(("@given", "@when", "@then")), entry


def test_a_failed_step_has_its_message_and_the_evidence(report):
    failing = scenario(report, "mock's journal")
    request_step, then = failing["steps"]
    assert request_step["result"]["status"] == "passed" and "embeddings" not in request_step
    assert then["result"]["status"] == "failed"
    assert "the export answered 401" in then["result"]["error_message"]
    failure, journal = then["embeddings"]
    assert (failure["name"], failure["mime_type"]) == ("failure", "text/plain")
    assert "AssertionError: the export answered 401" in decoded(failure)
    assert (journal["name"], journal["mime_type"]) == ("request journal", "application/json")
    requests = json.loads(decoded(journal))
    assert [(r["action"], r["status"], r["fault"]) for r in requests] == [("export", 401, None)]


def test_a_failure_without_the_mock_has_no_journal(pytester):
    failing = project.ORDERS_FEATURE.replace("Then 2 orders are stored", "Then 3 orders are stored")
    project.write(pytester.path, orders=failing)
    pytester.runpytest("test_orders.py", "--cucumberjson=out.json").assert_outcomes(
        failed=1, passed=3
    )
    element = scenario(json.loads((pytester.path / "out.json").read_text("utf-8")), "Orders import")
    then = step(element, "3 orders are stored")
    assert then["result"]["status"] == "failed"
    assert [e["name"] for e in then["embeddings"]] == ["failure"]


def test_a_failing_fixture_is_a_failed_before_or_after_hook(report):
    before = scenario(report, "failing before the scenario")
    assert [h["result"]["status"] for h in before["before"]] == ["failed"]
    assert "RuntimeError: the setup broke" in before["before"][0]["result"]["error_message"]
    assert [s["result"]["status"] for s in before["steps"]] == ["skipped"]
    assert "after" not in before
    after = scenario(report, "failing after the scenario")
    assert "RuntimeError: the teardown broke" in after["after"][0]["result"]["error_message"]
    assert [s["result"]["status"] for s in after["steps"]] == ["passed"]
    assert "before" not in after
    assert "before" not in scenario(report, "Orders import")


# --- Serial and parallel: the same report ---------------------------------------------------


def without_times(report: list[dict]) -> list[dict]:
    """The report with every duration and start time set to zero (all that may differ)."""

    def visit(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                key: 0 if key in ("duration", "start_timestamp") else visit(value)
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [visit(value) for value in node]
        return node

    return visit(report)


def test_a_serial_and_a_parallel_run_give_the_same_report_but_for_times(
    parallel_project_run, pytester
):
    """The project every behaviour of which passes, run under xdist (``-n 2``, shared with the
    HTML report's tests) and serially here, in process."""
    root, parallel_run = parallel_project_run
    assert parallel_run.returncode == 0, parallel_run.stdout + parallel_run.stderr
    project.write(pytester.path, evidence=project.PASSING_EVIDENCE)
    serial_run = pytester.runpytest_inprocess("--cucumberjson=serial.json")
    assert serial_run.ret == 0, serial_run.stdout.str()
    serial = json.loads((pytester.path / "serial.json").read_text("utf-8"))
    parallel = json.loads((root / "reports" / "cucumber.json").read_text("utf-8"))
    elements = [e for f in parallel for e in f["elements"]]
    assert len(parallel) == 2 and len(elements) == 6
    steps = [s for e in elements for s in e["steps"]]
    assert any("rows" in s for s in steps) and any("doc_string" in s for s in steps)
    assert without_times(parallel) == without_times(serial)
