"""pytest-bdd's lookup of a step's definitions, remembered.

For every step of every scenario, pytest-bdd 9 asks pytest for the definitions visible to the
test of every fixture name in the session (a hundred and more), then tries each step
definition's parser on the step's text: about a millisecond a step, some 2,400 steps, the
largest cost the Gherkin suite paid per step that was not the step itself. The step
definitions a test sees depend only on where the test is (its module or class: the conftests
above it and the module's own definitions), all registered at collection, so two answers are
kept and reused:

- the whole lookup's, per step type and text and the step definitions a test sees (the same
  for every module of tests/bdd: most step texts appear in several) (:func:`remembering`);
- inside it, pytest's answer to "which definitions of this fixture name does a test here
  see", per place and name, kept to the step definitions (:func:`remembering_visibility`):
  most step texts are looked up once per module, and each lookup asked it for every name.

The lookup and the visibility rules are pytest-bdd's and pytest's; only their repetition is
saved. What they answer for the other fixtures (such as the values a step injects with
``target_fixture``, visible to one test) is not kept: the lookup skips them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Container, Hashable, Iterable, Sequence
from typing import Any
from weakref import WeakKeyDictionary

Lookup = Callable[..., Iterable[Any]]
Visibility = Callable[[Any, str, Any], Sequence[Any] | None]
Where = Callable[[Any, Any], Hashable]  # (fixture manager, node) -> what the lookup depends on


def remember_step_lookups() -> None:
    """Make pytest-bdd's step lookup remember its answers (once per process)."""
    pytest_bdd_scenario = importlib.import_module("pytest_bdd.scenario")  # not the decorator
    find = getattr(pytest_bdd_scenario, "find_fixturedefs_for_step", None)
    visible = getattr(pytest_bdd_scenario, "getfixturedefs", None)
    steps = getattr(pytest_bdd_scenario, "step_function_context_registry", None)
    names = getattr(pytest_bdd_scenario, "get_fixture_names", None)
    if find is None or getattr(find, "remembers", False):
        return  # another pytest-bdd (nothing to remember through), or done already
    if visible is None or steps is None or names is None:
        pytest_bdd_scenario.find_fixturedefs_for_step = remembering(find)
        return
    visibility = remembering_visibility(visible, steps)
    pytest_bdd_scenario.getfixturedefs = visibility
    pytest_bdd_scenario.find_fixturedefs_for_step = remembering(
        find, where=step_definitions_seen(names, visibility)
    )


def place_of(node: Any) -> str:
    """Where a test is, as far as the fixtures it sees go: its module or class."""
    return node.parent.nodeid if node.parent is not None else node.nodeid


def in_place(fixturemanager: Any, node: Any) -> str:
    return place_of(node)


def remembering(find: Lookup, where: Where = in_place) -> Lookup:
    """``find`` (``find_fixturedefs_for_step``), its answers kept per fixture manager (one per
    pytest session), step, and what the answer depends on besides the step: ``where`` (the
    place of the test, or the step definitions it sees)."""
    answers: WeakKeyDictionary[Any, dict[tuple[Hashable, str, str], list]] = WeakKeyDictionary()

    def find_fixturedefs_for_step(step: Any, fixturemanager: Any, node: Any) -> list:
        key = (where(fixturemanager, node), step.type, step.name)
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


def step_definitions_seen(names: Callable[[Any], Iterable[str]], visible: Visibility) -> Where:
    """What pytest-bdd's lookup answers from, besides the step: every step definition a node
    sees, in the order the lookup meets them (fixture names in the registry's order, each
    name's definitions in pytest's), asked once per place. Places that see the same
    definitions share one key (a small number), so a step text is looked up once for them
    all."""
    keys: WeakKeyDictionary[Any, dict[str, int]] = WeakKeyDictionary()
    seen: dict[tuple, int] = {}  # a session's definitions are its own objects

    def where(fixturemanager: Any, node: Any) -> int:
        place = place_of(node)
        known = keys.setdefault(fixturemanager, {})
        if place not in known:
            definitions = tuple(
                fixturedef
                for name in names(fixturemanager)
                for fixturedef in visible(fixturemanager, name, node) or ()
            )
            known[place] = seen.setdefault(definitions, len(seen))
        return known[place]

    return where
