"""A small pytest-bdd project the report tests run: a catalogue, two features, their steps.

It holds what the reports must carry (a rule, an outline with tagged examples, a data table,
a doc string, tags in upper case) and what they must show (a failing step after a request to
the live mock, a failing fixture), in a handful of scenarios that run in about a second.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from textwrap import dedent

from background_runs import BackgroundRun

CATALOGUE = """\
# Behaviour catalogue

| ID | Behaviour | Feature |
|---|---|---|
| B01 | Orders import | [orders](orders.feature) |
| B02 | Labels are made | [orders](orders.feature) |
| B03 | Notes reach the buyer | [orders](orders.feature) |
| C01 | The window is asked in UTC | [evidence](evidence.feature) |
| P01 | Errors name what to change | [evidence](evidence.feature) |
"""

ORDERS_FEATURE = '''\
@orders
Feature: Orders
  Orders come in and go out.

  @B01
  Scenario: Orders import with their items
    Given the orders
      | order | item    | size |
      | 1001  | T-shirt | L    |
      | 1002  | Hoodie  | M    |
    When they are imported
    Then 2 orders are stored

  @b03
  Scenario: The notes reach the buyer
    Given the note
      """text/plain
      Thanks for your order!
      """
    Then the note has 22 characters

  @labels
  Rule: Labels need an address
    The carrier refuses a label without one.

    @b02
    Scenario Outline: A label for a <kind> order
      Given a <kind> order
      Then its label is <outcome>

      @uk
      Examples: Domestic
        | kind     | outcome |
        | domestic | made    |

      Examples:
        | kind   | outcome |
        | abroad | made    |
'''

EVIDENCE_FEATURE = """\
Feature: Evidence
  Failures carry what explains them.

  @c01
  Scenario: A failing step shows the mock's journal
    Given an export with a wrong password
    Then the export is accepted

  @p01 @broken_setup
  Scenario: A fixture failing before the scenario is a failed hook
    Given a domestic order

  @p01 @broken_teardown
  Scenario: A fixture failing after the scenario is a failed hook
    Given a domestic order
"""

STEPS = """\
import pytest
import requests
from pytest_bdd import given, parsers, then, when

from inksoft_testkit.drivers.base import NOT_APPLICABLE


@pytest.fixture
def context():
    return {}


@given("the orders", target_fixture="rows")
def the_orders(datatable):
    return datatable[1:]


@when("they are imported")
def imported(rows, context):
    context["stored"] = len(rows)


@then(parsers.parse("{count:d} orders are stored"))
def stored(context, count):
    assert context["stored"] == count


@given(parsers.parse("a {kind} order"))
def an_order(kind, context):
    context["kind"] = kind


@then(parsers.parse("its label is {outcome}"))
def label(outcome, context):
    assert outcome == "made"


@given("the note", target_fixture="note")
def the_note(docstring):
    return docstring


@then(parsers.parse("the note has {count:d} characters"))
def note_length(note, count):
    assert len(note) == count


@given("an export with a wrong password", target_fixture="answer")
def wrong_password(inksoft):
    return requests.get(
        inksoft.endpoint(10001),
        params={"action": "export", "start_date": "01/01/2000 00:00", "end_date": "01/01/2001"},
        auth=("demo", "not-the-password"),
        timeout=10,
    )


@then("the export is accepted")
def accepted(answer):
    assert answer.status_code == 200, f"the export answered {answer.status_code}"


@given("this scenario is skipped")
def skipped():
    pytest.skip("skipped on purpose")


@given("a capability the connector lacks")
def not_applicable():
    pytest.skip(NOT_APPLICABLE + "the connector declares no labels")


@pytest.fixture(autouse=True)
def around(request):
    if request.node.get_closest_marker("broken_setup"):
        raise RuntimeError("the setup broke")
    if request.node.get_closest_marker("lacks_products"):
        pytest.skip(NOT_APPLICABLE + "the connector declares no products")
    yield
    if request.node.get_closest_marker("broken_teardown"):
        raise RuntimeError("the teardown broke")
"""

PASSING_EVIDENCE = """\
Feature: Evidence

  @c01
  Scenario: The window
    Given a domestic order

  @p01
  Scenario: The errors
    Given a domestic order
"""

INI = """\
[pytest]
addopts = --strict-markers -p no:cacheprovider
    -p no:schemathesis -p no:hypothesispytest -p no:faker -p no:anyio
bdd_features_base_dir = features/
behaviour_catalogue = features/behaviours.md
markers =
    orders: the orders feature
    labels: labels
    uk: domestic examples
    broken_setup: a fixture fails before the scenario
    broken_teardown: a fixture fails after it
    lacks_products: a fixture finds the scenario not applicable before it starts
"""


def write(root: Path, *, orders: str = ORDERS_FEATURE, evidence: str = EVIDENCE_FEATURE) -> Path:
    """Write the project under ``root``; return ``root``."""
    (root / "features").mkdir(parents=True, exist_ok=True)
    (root / "features" / "behaviours.md").write_text(CATALOGUE, encoding="utf-8")
    (root / "features" / "orders.feature").write_text(orders, encoding="utf-8")
    (root / "features" / "evidence.feature").write_text(evidence, encoding="utf-8")
    (root / "pytest.ini").write_text(INI, encoding="utf-8")
    (root / "conftest.py").write_text(STEPS, encoding="utf-8")
    for name in ("orders", "evidence"):
        (root / f"test_{name}.py").write_text(
            dedent(f"""\
                from pytest_bdd import scenarios

                scenarios("{name}.feature")
                """),
            encoding="utf-8",
        )
    return root


def evidence_with(**steps: str) -> str:
    """The passing evidence feature with a step added to some of its scenarios, by their
    names in snake case (C01's is ``the_window``, P01's ``the_errors``)."""
    evidence = PASSING_EVIDENCE
    for name, step in steps.items():
        scenario = name.replace("_", " ").capitalize()
        changed = evidence.replace(
            f"Scenario: {scenario}\n    Given a domestic order\n",
            f"Scenario: {scenario}\n    Given a domestic order\n    {step}\n",
        )
        assert changed != evidence, scenario
        evidence = changed
    return evidence


ProjectRun = tuple[Path, subprocess.CompletedProcess]  # a run's project folder, its pytest run


def start_pytest(root: Path, *args: str, output: Path) -> BackgroundRun:
    """pytest on the project in ``root``, started in a process of its own; its output in
    ``output``, a folder."""
    env = dict(os.environ)
    env.pop("PYTEST_XDIST_WORKER", None)
    env.pop("PYTEST_ADDOPTS", None)
    return BackgroundRun.pytest(["-q", *args], cwd=root, folder=output, env=env)
