"""Cucumber's own HTML report of a run: one self-contained file a person opens in a browser.

``pytest --cucumber-html=reports/report.html`` (or, from a Cucumber JSON file written by
:mod:`inksoft_testkit.cucumber_json`, ``python -m inksoft_testkit.cucumber_html JSON HTML``)
turns the run into Cucumber Messages and renders them with ``@cucumber/html-formatter``, the
report Cucumber itself ships: features, rules, scenarios and outline examples, steps with
their data tables and doc strings, tags, durations, failures with their attachments (the
evidence), and a search by tag or text. The Gherkin side of the messages comes from the
feature files through Cucumber's own parser (``gherkin-official``); the results come from the
Cucumber JSON. When the run has a behaviour catalogue, one more feature, *Behaviour catalogue
coverage* (``features/behaviours.md#coverage``), shows each ID with its scenarios and passes
only when each has a passing one.

The formatter is an npm package: ``tools/cucumber-html`` holds its ``package.json`` and lock
file; the first render runs ``npm ci`` there when its ``node_modules`` is missing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from inksoft_testkit.catalogue import Tally, read_catalogue
from inksoft_testkit.cucumber_json import REPORT_KEY, nodes
from inksoft_testkit.drivers.base import NOT_APPLICABLE

TOOL_DIR = Path(__file__).resolve().parents[1] / "tools" / "cucumber-html"
STATUS = {
    "passed": "PASSED",
    "failed": "FAILED",
    "skipped": "SKIPPED",
    "undefined": "UNDEFINED",
    "pending": "PENDING",
}
COVERAGE_URI = "features/behaviours.md#coverage"


class ReportToolMissing(RuntimeError):
    """node or npm is not installed, the formatter's project is not there, or the formatter
    could not be installed."""


def timestamp(seconds: float) -> dict:
    return {"seconds": int(seconds), "nanos": int((seconds % 1) * 1e9)}


def started_at(element: dict) -> float:
    return datetime.fromisoformat(element["start_timestamp"]).timestamp()


def duration(nanoseconds: int) -> dict:
    return {"seconds": nanoseconds // 10**9, "nanos": nanoseconds % 10**9}


def element_status(element: dict) -> str:
    results = [step["result"]["status"] for step in element["steps"]]
    results += [hook["result"]["status"] for hook in element.get("before", [])]
    results += [hook["result"]["status"] for hook in element.get("after", [])]
    for status in ("failed", "undefined", "skipped"):
        if status in results:
            return status
    return "passed"


def not_applicable(element: dict) -> bool:
    """Whether a scenario was skipped as not applicable to the connector under test (its
    skipped step or hook says so, as :func:`inksoft_testkit.drivers.base.not_applicable`)."""
    results = [step["result"] for step in element["steps"]]
    results += [hook["result"] for hook in element.get("before", []) + element.get("after", [])]
    return element_status(element) == "skipped" and any(
        result["status"] == "skipped" and result.get("error_message", "").startswith(NOT_APPLICABLE)
        for result in results
    )


def coverage(features: list[dict], catalogue: dict[str, str]) -> Tally:
    """How the scenarios of each catalogue ID ended, counted as the run's own check does."""
    tally = Tally(catalogue)
    for feature in features:
        for element in feature["elements"]:
            status = element_status(element)
            if status == "passed":
                counts = tally.passed
            elif not_applicable(element):
                counts = tally.not_applicable
            elif status in ("failed", "undefined"):
                counts = tally.failed
            else:
                counts = None
            for tag in element.get("tags", []):
                behaviour = tag["name"].lstrip("@").lower()
                if behaviour in catalogue:
                    tally.selected[behaviour] += 1
                    if counts is not None:
                        counts[behaviour] += 1
    return tally


CoverageRow = tuple[str, str, int, int, int, int]  # ID, text, scenarios, passed, failed, n/a


def coverage_rows(tally: Tally, catalogue: dict[str, str]) -> list[CoverageRow]:
    """Each catalogue ID with how many scenarios carry it and how many of those passed,
    failed and were not applicable."""
    return [
        (
            b.upper(),
            catalogue[b],
            tally.selected[b],
            tally.passed[b],
            tally.failed[b],
            tally.not_applicable[b],
        )
        for b in sorted(catalogue)
    ]


def gherkin_cell(text: object) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "\\n")


def coverage_feature(tally: Tally, catalogue: dict[str, str], shown_as: str) -> tuple[str, dict]:
    """The coverage table as a Gherkin feature, and its result as a Cucumber JSON feature."""
    header = ("ID", "behaviour", "scenarios", "passed", "failed", "not applicable")
    table = [header, *coverage_rows(tally, catalogue)]
    widths = [max(len(gherkin_cell(row[i])) for row in table) for i in range(len(header))]
    lines = [
        "@catalogue",
        "Feature: Behaviour catalogue coverage",
        f"  Every behaviour of {shown_as} has a passing scenario (the run's catalogue check).",
        "",
        "  Scenario: Every behaviour has a passing scenario",
    ]
    uncovered = tally.uncovered()  # None: a partial run, not judged (as the run's own check)
    unsupported = tally.unsupported()
    if uncovered is not None and unsupported:
        lines.append(
            "    Behaviours not applicable to this connector: "
            + ", ".join(b.upper() for b in unsupported)
        )
    lines.append("    Then each behaviour of the catalogue has a passing scenario")
    for row in table:
        cells = [gherkin_cell(value).ljust(widths[i]) for i, value in enumerate(row)]
        lines.append("      | " + " | ".join(cells) + " |")
    result: dict[str, Any] = {"status": "failed" if uncovered else "passed", "duration": 0}
    if uncovered is None:
        result["status"] = "skipped"
        lines[4] += " (not judged: a partial run, some behaviours have no scenario in it)"
    elif uncovered:
        result["error_message"] = "behaviours without a passing scenario: " + ", ".join(
            b.upper() for b in uncovered
        )
    element = {"line": 5, "tags": [{"name": "@catalogue"}], "steps": [{"result": result}]}
    return "\n".join(lines) + "\n", {"uri": COVERAGE_URI, "elements": [element]}


def messages(
    features: list[dict], root: Path, catalogue: dict[str, str] | None = None, shown_as: str = ""
) -> Iterator[dict]:
    """Cucumber Messages for a run, from its Cucumber JSON and the feature files."""
    from gherkin.stream.gherkin_events import GherkinEvents

    from inksoft_testkit import __name__ as implementation

    events = GherkinEvents(GherkinEvents.Options(True, True, True))
    sources: list[tuple[str, str, dict]] = []
    for feature in features:
        path = root / feature["uri"]
        sources.append((feature["uri"], path.read_text(encoding="utf-8"), feature))
    if catalogue:
        text, result = coverage_feature(coverage(features, catalogue), catalogue, shown_as)
        sources.append((COVERAGE_URI, text, result))

    starts = [started_at(e) for f in features for e in f["elements"] if e.get("start_timestamp")]
    started = min(starts, default=time.time())
    finished = started
    yield {
        "meta": {
            "protocolVersion": "27.0.0",
            "implementation": {"name": implementation, "version": "pytest-bdd"},
            "runtime": {"name": "python", "version": sys.version.split()[0]},
            "os": {"name": sys.platform},
            "cpu": {"name": "unknown"},
        }
    }
    cases: list[tuple[dict, dict]] = []
    for uri, text, feature in sources:
        source = {
            "source": {"uri": uri, "data": text, "mediaType": "text/x.cucumber.gherkin+plain"}
        }
        lines: dict[str, int] = {}
        results = {element["line"]: element for element in feature["elements"]}
        envelopes: Iterator[Any] = events.enum(source)  # type: ignore[arg-type]
        for envelope in envelopes:
            if "gherkinDocument" in envelope:
                index_lines(envelope["gherkinDocument"], lines)
            if "pickle" in envelope:
                pickle = envelope["pickle"]
                element = results.get(lines[pickle["astNodeIds"][-1]])
                if element is None:
                    continue  # not run (deselected): not in the report
                cases.append((pickle, element))
            if "parseError" in envelope:
                raise ValueError(f"{uri}: {envelope['parseError']['message']}")
            yield envelope

    definitions: dict[str, str] = {}
    for _pickle, element in cases:
        for step in element["steps"]:
            location = step.get("match", {}).get("location", "")
            if location and location not in definitions:
                definitions[location] = f"stepdef-{len(definitions)}"
                path, _, line = location.rpartition(":")
                yield {
                    "stepDefinition": {
                        "id": definitions[location],
                        "pattern": {"source": step["name"], "type": "CUCUMBER_EXPRESSION"},
                        "sourceReference": {
                            "uri": path,
                            "location": {"line": int(line) if line.isdigit() else 0},
                        },
                    }
                }
    yield {"hook": {"id": "pytest-setup", "sourceReference": {"uri": "pytest fixture setup"}}}
    yield {"hook": {"id": "pytest-teardown", "sourceReference": {"uri": "pytest fixture teardown"}}}
    yield {"testRunStarted": {"timestamp": timestamp(started), "id": "run"}}

    for number, (pickle, element) in enumerate(cases):
        case_id = f"case-{number}"
        steps: list[tuple[dict, dict]] = []  # (testStep, its result and attachments)
        for hook in element.get("before", []):
            steps.append(({"id": f"{case_id}-before", "hookId": "pytest-setup"}, hook))
        for index, (pickle_step, step) in enumerate(
            zip(pickle["steps"], element["steps"], strict=True)
        ):
            location = step.get("match", {}).get("location", "")
            test_step = {
                "id": f"{case_id}-step-{index}",
                "pickleStepId": pickle_step["id"],
                "stepDefinitionIds": [definitions[location]] if location else [],
                "stepMatchArgumentsLists": [{"stepMatchArguments": []}] if location else [],
            }
            steps.append((test_step, step))
        for number_after, hook in enumerate(element.get("after", [])):
            steps.append(
                ({"id": f"{case_id}-after-{number_after}", "hookId": "pytest-teardown"}, hook)
            )
        yield {
            "testCase": {
                "id": case_id,
                "pickleId": pickle["id"],
                "testSteps": [test_step for test_step, _ in steps],
                "testRunStartedId": "run",
            }
        }
        started_id = f"{case_id}-started"
        clock = started_at(element) if element.get("start_timestamp") else started
        yield {
            "testCaseStarted": {
                "id": started_id,
                "testCaseId": case_id,
                "attempt": 0,
                "timestamp": timestamp(clock),
                "testRunStartedId": "run",
            }
        }
        for test_step, step in steps:
            yield {
                "testStepStarted": {
                    "testCaseStartedId": started_id,
                    "testStepId": test_step["id"],
                    "timestamp": timestamp(clock),
                }
            }
            for attachment in step.get("embeddings", []):
                yield {
                    "attachment": {
                        "testCaseStartedId": started_id,
                        "testStepId": test_step["id"],
                        "body": attachment["data"],
                        "contentEncoding": "BASE64",
                        "mediaType": attachment["mime_type"],
                        "fileName": attachment.get("name", "evidence"),
                    }
                }
            result = step["result"]
            step_result: dict[str, Any] = {
                "status": STATUS[result["status"]],
                "duration": duration(int(result.get("duration", 0))),
            }
            if result.get("error_message"):
                step_result["message"] = result["error_message"]
            clock += int(result.get("duration", 0)) / 1e9
            yield {
                "testStepFinished": {
                    "testCaseStartedId": started_id,
                    "testStepId": test_step["id"],
                    "testStepResult": step_result,
                    "timestamp": timestamp(clock),
                }
            }
        yield {
            "testCaseFinished": {
                "testCaseStartedId": started_id,
                "timestamp": timestamp(clock),
                "willBeRetried": False,
            }
        }
        finished = max(finished, clock)
    success = all(element_status(element) != "failed" for _, element in cases)
    yield {"testRunFinished": {"success": success, "timestamp": timestamp(finished)}}


def index_lines(document: dict, lines: dict[str, int]) -> None:
    """The line of every scenario and example row of a Gherkin document, by its AST id."""
    lines.update(
        {
            node["id"]: node["location"]["line"]
            for node in nodes(document)
            if "id" in node and "location" in node
        }
    )


def ensure_formatter(tool_dir: Path = TOOL_DIR) -> Path:
    """The formatter's folder, with its npm packages installed (``npm ci`` the first time).

    Several processes can ask at once (a run's report beside the suite's own report runs):
    the first installs while the others wait for it, under a lock on a file in the folder, so
    that no ``npm ci`` empties ``node_modules`` under another one's formatter.
    """
    node = shutil.which("node")
    if node is None:
        raise ReportToolMissing("the HTML report needs Node.js (node and npm): none is installed")
    if not (tool_dir / "package.json").is_file():
        raise ReportToolMissing(
            f"the HTML report's formatter project is not in {tool_dir}: it is the checkout's "
            "tools/cucumber-html, which an installed wheel does not hold; install the kit "
            "from a checkout with pip install -e"
        )
    with installing(tool_dir):
        if not (tool_dir / "node_modules" / "@cucumber" / "html-formatter").is_dir():
            npm = shutil.which("npm")
            if npm is None:
                raise ReportToolMissing("the HTML report needs npm to install its formatter")
            done = subprocess.run(  # noqa: S603 - npm, found on PATH, with fixed arguments
                [npm, "ci", "--no-audit", "--no-fund", "--prefix", str(tool_dir)],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise ReportToolMissing(f"npm ci in {tool_dir} failed:\n{done.stderr}")
    return tool_dir


@contextmanager
def installing(tool_dir: Path) -> Iterator[None]:
    """Held by one process at a time (``flock`` on ``.install.lock``; no lock where the system
    has none)."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system
        yield
        return
    with open(tool_dir / ".install.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def render(envelopes: Iterator[dict], output: Path, tool_dir: Path = TOOL_DIR) -> Path:
    """Write the HTML report of these messages to ``output``."""
    ensure_formatter(tool_dir)
    ndjson = "".join(json.dumps(envelope) + "\n" for envelope in envelopes)
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("wb") as html:
        done = subprocess.run(  # noqa: S603 - node, found on PATH, with our script
            [shutil.which("node") or "node", str(tool_dir / "render.mjs")],
            input=ndjson.encode("utf-8"),
            stdout=html,
            stderr=subprocess.PIPE,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"the HTML formatter failed:\n{done.stderr.decode(errors='replace')}")
    return output


def write_report(
    features: list[dict], output: Path, root: Path, catalogue_path: Path | None = None
) -> Path:
    catalogue = read_catalogue(catalogue_path) if catalogue_path else None
    shown_as = catalogue_path.relative_to(root).as_posix() if catalogue_path else ""
    return render(messages(features, root, catalogue, shown_as), output)


# --- In a pytest run --------------------------------------------------------------------------


def add_option(parser: pytest.Parser) -> None:
    parser.getgroup("bdd").addoption(
        "--cucumber-html",
        dest="cucumber_html_path",
        metavar="path",
        default=None,
        help="write Cucumber's self-contained HTML report of the scenarios to this path",
    )


class HtmlReport:
    def __init__(self, path: Path, root: Path, catalogue_path: Path | None) -> None:
        self.path = path
        self.root = root
        self.catalogue_path = catalogue_path
        self.error: str | None = None

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:

        features = session.config.stash[REPORT_KEY].features_in_order()
        try:
            write_report(features, self.path, self.root, self.catalogue_path)
        except (ReportToolMissing, RuntimeError) as exc:
            self.error = str(exc)
            session.exitstatus = pytest.ExitCode.INTERNAL_ERROR

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.error:
            terminalreporter.write_line(f"no HTML report: {self.error}", red=True)
        else:
            terminalreporter.write_sep("-", f"generated HTML report: {self.path}")


def configure(config: pytest.Config) -> None:
    path = config.option.cucumber_html_path
    if not path or hasattr(config, "workerinput"):
        return
    root = Path(config.rootpath).resolve()
    catalogue = config.getini("behaviour_catalogue")
    report = HtmlReport(Path(path).resolve(), root, root / catalogue if catalogue else None)
    config.pluginmanager.register(report, "inksoft-cucumber-html")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m inksoft_testkit.cucumber_html",
        description="Cucumber's HTML report from a Cucumber JSON file of this suite.",
    )
    parser.add_argument("json", type=Path, help="the Cucumber JSON (pytest --cucumberjson)")
    parser.add_argument("html", type=Path, help="where to write the HTML report")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="where the URIs start")
    parser.add_argument("--catalogue", type=Path, help="the behaviour catalogue, for coverage")
    args = parser.parse_args(argv)
    features = json.loads(args.json.read_text(encoding="utf-8"))
    root = args.root.resolve()
    catalogue = args.catalogue.resolve() if args.catalogue else None
    try:
        write_report(features, args.html, root, catalogue)
    except ReportToolMissing as exc:
        print(exc, file=sys.stderr)
        return 2
    print(args.html)
    return 0


if __name__ == "__main__":
    sys.exit(main())
