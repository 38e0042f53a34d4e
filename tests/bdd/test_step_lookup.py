"""The remembered step lookup answers what pytest-bdd's own lookup answers, asking it once per
place and step."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

from bdd_steps.step_lookup import remembering


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


def test_this_session_remembers_its_step_lookups():
    """pytest-bdd still has the lookup this wraps: an upgrade that renamed it would leave the
    Gherkin suite slow without a word, so it fails here instead."""
    lookup = importlib.import_module("pytest_bdd.scenario").find_fixturedefs_for_step
    assert getattr(lookup, "remembers", False)
