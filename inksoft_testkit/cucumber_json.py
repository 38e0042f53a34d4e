"""A complete Cucumber JSON report of pytest-bdd scenarios, right under pytest-xdist too.

``pytest --cucumberjson=PATH`` writes it (this plugin takes the option over from pytest-bdd's
own writer, which drops data tables, doc strings, rules and evidence). The format is
cucumber-jvm's, which the report tools read; ``fixtures/cucumber-json-schema/`` holds its
published schema and a test validates against it. What this writer adds:

- each step's data table (``rows``) and doc string (``doc_string``), with example values
  filled in, and where its step definition lives (``match.location``);
- each scenario's tags with their ``@``, inherited from its feature, rule and examples;
- outline examples named with their values: ``Name (fault: 502)``;
- rules: Cucumber JSON has no rule element, so a scenario inside a rule is named
  ``Rule name › Scenario name`` and its description starts with ``Rule: Rule name``;
- real durations (nanoseconds) and each scenario's start time;
- on a failed step, ``embeddings`` with the evidence: the failure text and, when the
  scenario used the ``inksoft`` fixture, the mock's request journal for the scenario;
- on a skipped step, its ``error_message`` says why (``pytest.skip``'s reason: ``not
  applicable: …`` for a scenario the connector under test cannot run); a skip before the
  scenario (a mark, a fixture) is a skipped ``before`` hook with the reason.

Each process builds a scenario's element while it runs it and hangs it on the test report
(``report.cucumber``); pytest-xdist carries report attributes from the workers to the
controller, which alone writes the file. Features and scenarios are written in file order,
so a serial and a parallel run give the same report but for times.
"""

from __future__ import annotations

import base64
import functools
import inspect
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from inksoft_testkit.drivers.report import skip_reason

REPORT_ATTRIBUTE = "cucumber"  # set on the TestReport; xdist serializes report attributes
RUN_KEY = pytest.StashKey["ScenarioRun"]()
PHASES_KEY = pytest.StashKey[dict]()


# --- The Gherkin document, for what pytest-bdd's model leaves out --------------------------


@functools.cache
def gherkin_document(path: str) -> Any:
    """The feature file as Cucumber's own parser sees it (locations, doc string media types)."""
    from gherkin.parser import Parser

    return Parser().parse(Path(path).read_text(encoding="utf-8"))


def nodes(tree: Any) -> Iterator[dict]:
    """Every mapping of a Gherkin AST (as Cucumber's parser gives it), depth first."""
    if isinstance(tree, dict):
        yield tree
        for value in tree.values():
            yield from nodes(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from nodes(value)


@functools.cache
def doc_strings(path: str) -> dict[int, dict]:
    """The doc strings of a feature file, by the line of their step (read only: cached)."""
    return {
        node["location"]["line"]: node["docString"]
        for node in nodes(gherkin_document(path))
        if "keywordType" in node and "docString" in node
    }


def example_rows(path: str, scenario_line: int) -> list[dict]:
    """The rows of a scenario outline's examples, in order, with their table's name."""
    rows = []
    for scenario in _scenarios(gherkin_document(path)["feature"]):
        if scenario["location"]["line"] == scenario_line:
            for table in scenario.get("examples", []):
                for index, row in enumerate(table.get("tableBody", [])):
                    rows.append({"examples": table, "row": row, "index": index})
    return rows


def _scenarios(node: dict) -> list[dict]:
    found = []
    for child in node.get("children", []):
        if "scenario" in child:
            found.append(child["scenario"])
        elif "rule" in child:
            found.extend(_scenarios(child["rule"]))
    return found


def slug(text: str) -> str:
    return re.sub(r"\s+", "-", text.strip().lower())


# --- What happens while a scenario runs ----------------------------------------------------


@dataclass
class StepRun:
    status: str = "skipped"
    started: int = 0
    duration: int = 0
    location: str = ""
    error: bool = False
    embeddings: list[dict] = field(default_factory=list)


@dataclass
class ScenarioRun:
    """The steps of one scenario as they ran (a step not reached stays ``skipped``)."""

    scenario: Any
    started_at: str
    steps: dict[int, StepRun] = field(default_factory=dict)  # by id() of the rendered step

    def step(self, step: Any) -> StepRun:
        return self.steps.setdefault(id(step), StepRun())


def match_location(func: Any, rootdir: Path) -> str:
    """``tests/bdd/bdd_steps/given.py:33``: where a step definition is written."""
    func = inspect.unwrap(func)
    try:
        path = Path(inspect.getsourcefile(func) or "")
        line = inspect.getsourcelines(func)[1]
    except (OSError, TypeError):
        return getattr(func, "__qualname__", "")
    if path.resolve().is_relative_to(rootdir):
        path = path.resolve().relative_to(rootdir)
    return f"{path.as_posix()}:{line}"


def embedding(name: str, mime_type: str, text: str) -> dict:
    return {
        "name": name,
        "mime_type": mime_type,
        "data": base64.b64encode(text.encode("utf-8")).decode("ascii"),
    }


def request_journal(request: pytest.FixtureRequest) -> dict | None:
    """The mock's request journal, when the scenario used the live mock."""
    if "inksoft" not in request.fixturenames:
        return None
    try:
        journal = request.getfixturevalue("inksoft").admin.requests()
    except Exception as exc:  # evidence is best effort: never hide the real failure
        return embedding("request journal (unavailable)", "text/plain", repr(exc))
    return embedding("request journal", "application/json", json.dumps(journal, indent=2))


class ScenarioRecorder:
    """Runs in every process that runs scenarios: builds each scenario's element."""

    def __init__(self, rootdir: Path) -> None:
        self.rootdir = rootdir

    @staticmethod
    def run_of(request: pytest.FixtureRequest) -> ScenarioRun | None:
        return request.node.stash.get(RUN_KEY, None)

    def pytest_bdd_before_scenario(self, request: pytest.FixtureRequest, scenario: Any) -> None:
        started = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        request.node.stash[RUN_KEY] = ScenarioRun(scenario=scenario, started_at=started)

    def pytest_bdd_before_step(
        self, request: pytest.FixtureRequest, step: Any, step_func: Any
    ) -> None:
        run = self.run_of(request)
        if run is not None:
            record = run.step(step)
            record.started = time.perf_counter_ns()
            record.location = match_location(step_func, self.rootdir)

    def _finish(self, request: pytest.FixtureRequest, step: Any, status: str) -> StepRun | None:
        run = self.run_of(request)
        if run is None:
            return None
        record = run.step(step)
        record.status = status
        record.duration = time.perf_counter_ns() - record.started if record.started else 0
        return record

    def pytest_bdd_after_step(self, request: pytest.FixtureRequest, step: Any) -> None:
        self._finish(request, step, "passed")

    def pytest_bdd_step_error(self, request: pytest.FixtureRequest, step: Any) -> None:
        record = self._finish(request, step, "failed")
        if record is not None:
            record.error = True
            journal = request_journal(request)
            if journal is not None:
                record.embeddings.append(journal)

    def pytest_bdd_step_func_lookup_error(self, request: pytest.FixtureRequest, step: Any) -> None:
        record = self._finish(request, step, "undefined")
        if record is not None:
            record.error = True

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield
        phases = item.stash.setdefault(PHASES_KEY, {})
        phases[report.when] = report
        if report.when == "teardown":
            element = scenario_element(item, phases, self.rootdir)
            if element is not None:
                setattr(report, REPORT_ATTRIBUTE, element)
        return report


# --- A scenario's element --------------------------------------------------------------------


def template_of(item: pytest.Item) -> Any:
    from pytest_bdd.scenario import scenario_wrapper_template_registry

    function = getattr(item, "obj", None)
    return scenario_wrapper_template_registry.get(function) if function else None


def tag_list(*groups: Any) -> list[str]:
    seen: list[str] = []
    for group in groups:
        for tag in sorted(group or ()):
            if tag not in seen:
                seen.append(tag)
    return seen


def feature_header(feature: Any, rootdir: Path) -> dict:
    doc = gherkin_document(feature.filename)["feature"]
    try:
        uri = Path(feature.filename).resolve().relative_to(rootdir).as_posix()
    except ValueError:
        uri = feature.rel_filename
    return {
        "uri": uri,
        "id": slug(feature.name or uri),
        "keyword": feature.keyword,
        "name": feature.name or uri,
        "line": feature.line_number,
        "description": feature.description,
        "tags": [
            {"name": tag["name"], "type": "Tag", "location": tag["location"]}
            for tag in doc.get("tags", [])
        ],
    }


def scenario_element(item: pytest.Item, phases: dict, rootdir: Path) -> dict | None:
    """The report's element for one scenario, from its template, its example and its run."""
    template = template_of(item)
    if template is None:
        return None
    callspec = getattr(item, "callspec", None)
    example = callspec.params.get("_pytest_bdd_example", {}) if callspec else {}
    run: ScenarioRun | None = item.stash.get(RUN_KEY, None)
    scenario = run.scenario if run is not None else template.render(example)
    feature = template.feature

    name = scenario.name
    element_id = f"{slug(feature.name)};{slug(template.name)}"
    line = template.line_number
    example_tags: set[str] = set()
    if example:
        name += " (" + "; ".join(f"{key}: {value}" for key, value in example.items()) + ")"
        assert callspec is not None  # an example's values come from its callspec
        index = callspec.indices["_pytest_bdd_example"]
        rows = example_rows(feature.filename, template.line_number)
        if index < len(rows):
            row = rows[index]
            line = row["row"]["location"]["line"]
            example_tags = {tag["name"].lstrip("@") for tag in row["examples"].get("tags", [])}
            element_id += f";{slug(row['examples'].get('name') or 'examples')};{row['index'] + 2}"
    description = scenario.description
    if template.rule is not None:
        name = f"{template.rule.name} › {name}"
        description = f"Rule: {template.rule.name}" + (f"\n{description}" if description else "")
    tags = tag_list(
        feature.tags, template.rule.tags if template.rule else (), template.tags, example_tags
    )

    setup, call = phases.get("setup"), phases.get("call")
    failure_text = call.longreprtext if call is not None and call.failed else ""
    skipped_because = skip_reason(call) if call is not None else None
    docs = doc_strings(feature.filename)
    steps = []
    for step in scenario.steps:
        record = run.steps.get(id(step)) if run is not None else None
        record = record or StepRun()
        result: dict[str, Any] = {"status": record.status, "duration": record.duration}
        entry: dict[str, Any] = {
            "keyword": step.keyword + " ",
            "name": step.name,
            "line": step.line_number,
            "match": {"location": record.location},
            "result": result,
        }
        if step.datatable is not None:
            entry["rows"] = [{"cells": [c.value for c in row.cells]} for row in step.datatable.rows]
        if step.docstring is not None:
            doc = docs.get(step.line_number, {})
            entry["doc_string"] = {
                "value": step.docstring,
                "line": doc.get("location", {}).get("line", step.line_number + 1),
            }
            if doc.get("mediaType"):
                entry["doc_string"]["content_type"] = doc["mediaType"]
        if record.error and failure_text:
            result["error_message"] = failure_text
            entry["embeddings"] = [
                embedding("failure", "text/plain", failure_text),
                *record.embeddings,
            ]
        if skipped_because is not None and record.started and record.status == "skipped":
            result["error_message"] = skipped_because  # the step that skipped: started, unended
            skipped_because = None
        steps.append(entry)

    element: dict[str, Any] = {
        "id": element_id,
        "keyword": template.keyword,
        "type": "scenario",
        "name": name,
        "line": line,
        "description": description,
        "tags": [{"name": "@" + tag} for tag in tags],
        "start_timestamp": run.started_at if run is not None else "",
        "steps": steps,
    }
    if setup is not None and setup.failed:
        element["before"] = [
            {
                "match": {"location": "pytest fixture setup"},
                "result": {
                    "status": "failed",
                    "duration": int(setup.duration * 1e9),
                    "error_message": setup.longreprtext,
                },
            }
        ]
    elif setup is not None and (setup_skipped_because := skip_reason(setup)) is not None:
        element["before"] = [  # a skip mark, or a fixture that skipped
            {
                "match": {"location": "pytest fixture setup"},
                "result": {
                    "status": "skipped",
                    "duration": int(setup.duration * 1e9),
                    "error_message": setup_skipped_because,
                },
            }
        ]
    teardown = phases.get("teardown")
    if teardown is not None and teardown.failed:
        element["after"] = [
            {
                "match": {"location": "pytest fixture teardown"},
                "result": {
                    "status": "failed",
                    "duration": int(teardown.duration * 1e9),
                    "error_message": teardown.longreprtext,
                },
            }
        ]
    if (
        call is not None
        and call.failed
        and not any(s["result"].get("error_message") for s in steps)
    ):
        # the scenario failed outside a step (its test function's body): say so on it
        element["after"] = [
            *element.get("after", []),
            {
                "match": {"location": item.nodeid},
                "result": {"status": "failed", "duration": 0, "error_message": failure_text},
            },
        ]
    if skipped_because is not None:
        # the scenario skipped outside a step (its test function's body): say why on it
        element["after"] = [
            *element.get("after", []),
            {
                "match": {"location": item.nodeid},
                "result": {"status": "skipped", "duration": 0, "error_message": skipped_because},
            },
        ]
    return {"feature": feature_header(feature, rootdir), "element": element}


# --- Collecting the elements and writing the file -------------------------------------------


class CucumberReport:
    """Collects the elements the test reports carry; writes the file at the end of the run."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.features: dict[str, dict] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        carried = getattr(report, REPORT_ATTRIBUTE, None)
        if not carried:
            return
        header = carried["feature"]
        feature = self.features.setdefault(header["uri"], {**header, "elements": []})
        feature["elements"].append(carried["element"])

    def features_in_order(self) -> list[dict]:
        """Features by file, scenarios by line: the same order whatever ran them."""
        ordered = []
        for uri in sorted(self.features):
            feature = dict(self.features[uri])
            feature["elements"] = sorted(feature["elements"], key=lambda e: (e["line"], e["id"]))
            ordered.append(feature)
        return ordered

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.features_in_order(), indent=1), "utf-8")

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.path is not None:
            terminalreporter.write_sep("-", f"generated Cucumber JSON file: {self.path}")


def configure(config: pytest.Config) -> None:
    """Take ``--cucumberjson`` over from pytest-bdd (called before its own configure)."""
    option = getattr(config.option, "cucumber_json_path", None)
    html = getattr(config.option, "cucumber_html_path", None)
    if not option and not html:
        return
    config.option.cucumber_json_path = None  # pytest-bdd's writer stays off
    rootdir = Path(config.rootpath).resolve()
    config.pluginmanager.register(ScenarioRecorder(rootdir), "inksoft-cucumber-recorder")
    if not hasattr(config, "workerinput"):  # the controller (or a serial run) writes the file
        path = Path(option).expanduser().resolve() if option else None
        config.stash[REPORT_KEY] = report = CucumberReport(path)
        config.pluginmanager.register(report, "inksoft-cucumber-json")


REPORT_KEY = pytest.StashKey[CucumberReport]()
