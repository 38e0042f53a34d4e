"""The remembered step lookup answers what pytest-bdd's own lookup answers, asking it once per
place and step, and asking pytest which definitions a test sees once per place and name."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from pytest_bdd.compat import getfixturedefs as pytest_bdd_getfixturedefs
from pytest_bdd.feature import get_features

from bdd_steps.step_lookup import remembering, remembering_visibility, step_definitions_seen

FEATURES = Path(__file__).resolve().parents[2] / "features"


def test_a_step_is_looked_up_once_per_place_and_the_answer_is_the_lookups():
    asked = []

    def find(step, fixturemanager, node):
        asked.append((node.parent.nodeid, step.type, step.name))
        return [f"{node.parent.nodeid}:{step.type}:{step.name}"]

    class FixtureManager:
        """A pytest session's fixture manager (one per session)."""

    lookup = remembering(find)
    manager = FixtureManager()
    here = SimpleNamespace(parent=SimpleNamespace(nodeid="tests/bdd/test_a.py"))
    there = SimpleNamespace(parent=SimpleNamespace(nodeid="tests/bdd/test_b.py"))
    given = SimpleNamespace(type="given", name="a connected store")
    then = SimpleNamespace(type="then", name="a connected store")

    first = lookup(step=given, fixturemanager=manager, node=here)
    first.append("changed by its caller")
    assert lookup(step=given, fixturemanager=manager, node=here) == [
        "tests/bdd/test_a.py:given:a connected store"
    ]
    assert lookup(step=given, fixturemanager=manager, node=there) == [
        "tests/bdd/test_b.py:given:a connected store"
    ]
    assert lookup(step=then, fixturemanager=manager, node=here) == [
        "tests/bdd/test_a.py:then:a connected store"
    ]
    assert lookup(step=given, fixturemanager=FixtureManager(), node=here) == [
        "tests/bdd/test_a.py:given:a connected store"
    ]
    assert asked == [
        ("tests/bdd/test_a.py", "given", "a connected store"),
        ("tests/bdd/test_b.py", "given", "a connected store"),
        ("tests/bdd/test_a.py", "then", "a connected store"),
        ("tests/bdd/test_a.py", "given", "a connected store"),
    ]


def test_visibility_is_asked_once_per_place_and_name_and_keeps_only_step_definitions():
    asked = []
    step_function, other_function = (lambda: None), (lambda: None)
    step_definition = SimpleNamespace(func=step_function)
    other_fixture = SimpleNamespace(func=other_function)

    def visible(fixturemanager, fixturename, node):
        asked.append((node.parent.nodeid, fixturename))
        if fixturename == "nothing":
            return None
        return [other_fixture, step_definition]

    lookup = remembering_visibility(visible, {step_function})
    manager = object.__new__(type("FixtureManager", (), {}))
    first = SimpleNamespace(parent=SimpleNamespace(nodeid="tests/bdd/test_a.py"))
    second = SimpleNamespace(parent=SimpleNamespace(nodeid="tests/bdd/test_a.py"))
    elsewhere = SimpleNamespace(parent=SimpleNamespace(nodeid="tests/bdd/test_b.py"))

    assert list(lookup(manager, "a_step", first)) == [step_definition]
    assert list(lookup(manager, "a_step", second)) == [step_definition]
    assert list(lookup(manager, "a_step", elsewhere)) == [step_definition]
    assert list(lookup(manager, "nothing", first)) == []
    assert asked == [
        ("tests/bdd/test_a.py", "a_step"),
        ("tests/bdd/test_b.py", "a_step"),
        ("tests/bdd/test_a.py", "nothing"),
    ]


def test_places_seeing_the_same_step_definitions_share_one_key():
    shared, own = object(), object()
    sees = {"tests/bdd/test_a.py": [shared], "tests/bdd/test_b.py": [shared]}
    sees["tests/bdd/test_c.py"] = [shared, own]
    asked = []

    def names(fixturemanager):
        return ["a_step", "another_step"]

    def visible(fixturemanager, name, node):
        asked.append(node.parent.nodeid)
        return sees[node.parent.nodeid] if name == "a_step" else None

    def at(place):
        return SimpleNamespace(parent=SimpleNamespace(nodeid=place))

    where = step_definitions_seen(names, visible)
    manager = object.__new__(type("FixtureManager", (), {}))
    a, b, c = (where(manager, at(f"tests/bdd/test_{x}.py")) for x in "abc")
    assert a == b != c
    assert where(manager, at("tests/bdd/test_c.py")) == c
    assert (
        asked
        == ["tests/bdd/test_a.py"] * 2 + ["tests/bdd/test_b.py"] * 2 + ["tests/bdd/test_c.py"] * 2
    )


def test_this_session_remembers_its_step_lookups():
    """pytest-bdd still has the lookup and the visibility question this wraps: an upgrade that
    renamed them would leave the Gherkin suite slow without a word, so it fails here instead."""
    scenario = importlib.import_module("pytest_bdd.scenario")
    assert getattr(scenario.find_fixturedefs_for_step, "remembers", False)
    assert scenario.getfixturedefs.__wrapped__ is pytest_bdd_getfixturedefs


def test_the_remembered_lookup_finds_what_pytest_bdds_own_finds_for_every_step_of_a_feature(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
):
    scenario = importlib.import_module("pytest_bdd.scenario")
    remembered = scenario.find_fixturedefs_for_step
    (feature,) = get_features([str(FEATURES / "several_stores.feature")])
    steps = {
        (step.type, step.name): step
        for outline in feature.scenarios.values()
        for step in outline.steps
    }
    manager = request._fixturemanager
    found = {key: remembered(step, manager, request.node) for key, step in steps.items()}

    monkeypatch.setattr(scenario, "getfixturedefs", pytest_bdd_getfixturedefs)
    own = {
        key: list(remembered.__wrapped__(step, manager, request.node))
        for key, step in steps.items()
    }
    assert found == own
    assert sum(1 for definitions in own.values() if definitions) > 20
