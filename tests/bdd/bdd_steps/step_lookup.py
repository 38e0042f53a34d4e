"""pytest-bdd's lookup of a step's definitions, remembered.

For every step of every scenario, pytest-bdd 9 asks pytest for the definitions visible to the
test of every fixture name in the session (a hundred and more), then tries each step
definition's parser on the step's text: about a millisecond a step, some 2,400 steps, the
largest cost the Gherkin suite paid per step that was not the step itself. The step
definitions a test sees depend only on where the test is (its module or class: the conftests
above it and the module's own definitions), all registered at collection, so two answers are
kept and reused:

- the whole lookup's, per place, step type and text (:func:`remembering`);
- inside it, pytest's answer to "which definitions of this fixture name does a test here
  see", per place and name, kept to the step definitions (:func:`remembering_visibility`):
  most step texts are looked up once per module, and each lookup asked it for every name.

The lookup and the visibility rules are pytest-bdd's and pytest's; only their repetition is
saved. What they answer for the other fixtures (such as the values a step injects with
``target_fixture``, visible to one test) is not kept: the lookup skips them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Container, Iterable, Sequence
from typing import Any
from weakref import WeakKeyDictionary

Lookup = Callable[..., Iterable[Any]]
Visibility = Callable[[Any, str, Any], Sequence[Any] | None]


def remember_step_lookups() -> None:
    """Make pytest-bdd's step lookup remember its answers (once per process)."""
    pytest_bdd_scenario = importlib.import_module("pytest_bdd.scenario")  # not the decorator
    find = getattr(pytest_bdd_scenario, "find_fixturedefs_for_step", None)
    visible = getattr(pytest_bdd_scenario, "getfixturedefs", None)
    steps = getattr(pytest_bdd_scenario, "step_function_context_registry", None)
    if find is None or getattr(find, "remembers", False):
        return  # another pytest-bdd (nothing to remember through), or done already
    pytest_bdd_scenario.find_fixturedefs_for_step = remembering(find)
    if visible is not None and steps is not None:
        pytest_bdd_scenario.getfixturedefs = remembering_visibility(visible, steps)


def place_of(node: Any) -> str:
    """Where a test is, as far as the fixtures it sees go: its module or class."""
    return node.parent.nodeid if node.parent is not None else node.nodeid


def remembering(find: Lookup) -> Lookup:
    """``find`` (``find_fixturedefs_for_step``), its answers kept per fixture manager (one per
    pytest session), place of the test and step."""
    answers: WeakKeyDictionary[Any, dict[tuple[str, str, str], list]] = WeakKeyDictionary()

    def find_fixturedefs_for_step(step: Any, fixturemanager: Any, node: Any) -> list:
        key = (place_of(node), step.type, step.name)
        known = answers.setdefault(fixturemanager, {})
        if key not in known:
            known[key] = list(find(step=step, fixturemanager=fixturemanager, node=node))
        return list(known[key])

    find_fixturedefs_for_step.remembers = True  # type: ignore[attr-defined]
    find_fixturedefs_for_step.__wrapped__ = find  # type: ignore[attr-defined]
    return find_fixturedefs_for_step


def remembering_visibility(visible: Visibility, step_functions: Container) -> Visibility:
    """``visible`` (pytest-bdd's ``getfixturedefs``: the definitions of a fixture name a node
    sees), its answers kept to the step definitions (those whose function is in
    ``step_functions``), per fixture manager, place of the node and name."""
    answers: WeakKeyDictionary[Any, dict[tuple[str, str], tuple]] = WeakKeyDictionary()

    def getfixturedefs(fixturemanager: Any, fixturename: str, node: Any) -> tuple:
        key = (place_of(node), fixturename)
        known = answers.setdefault(fixturemanager, {})
        if key not in known:
            found = visible(fixturemanager, fixturename, node) or ()
            known[key] = tuple(
                fixturedef for fixturedef in found if fixturedef.func in step_functions
            )
        return known[key]

    getfixturedefs.__wrapped__ = visible  # type: ignore[attr-defined]
    return getfixturedefs
