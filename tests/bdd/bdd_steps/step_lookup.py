"""pytest-bdd's lookup of a step's definitions, remembered per test module.

For every step of every scenario, pytest-bdd 9 asks pytest for the definitions visible to the
test of every fixture name in the session (a hundred and more), then tries each step
definition's parser on the step's text: about a millisecond a step, some 2,400 steps, the
largest cost the Gherkin suite paid per step that was not the step itself. The definitions a
step text finds depend only on where the test is (its module or class: the conftests above it
and the module's own definitions), all registered at collection, so the answer for the same
step type and text in the same place is the same: the first answer is kept and reused. The
lookup itself is pytest-bdd's; only its repetition is saved.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any
from weakref import WeakKeyDictionary

Lookup = Callable[..., Iterable[Any]]


def remember_step_lookups() -> None:
    """Make pytest-bdd's step lookup remember its answers (once per process)."""
    pytest_bdd_scenario = importlib.import_module("pytest_bdd.scenario")  # not the decorator
    find = getattr(pytest_bdd_scenario, "find_fixturedefs_for_step", None)
    if find is None or getattr(find, "remembers", False):
        return  # another pytest-bdd (nothing to remember through), or done already
    pytest_bdd_scenario.find_fixturedefs_for_step = remembering(find)


def remembering(find: Lookup) -> Lookup:
    """``find`` (``find_fixturedefs_for_step``), its answers kept per fixture manager (one per
    pytest session), place of the test and step."""
    answers: WeakKeyDictionary[Any, dict[tuple[str, str, str], list]] = WeakKeyDictionary()

    def find_fixturedefs_for_step(step: Any, fixturemanager: Any, node: Any) -> list:
        place = node.parent.nodeid if node.parent is not None else node.nodeid
        key = (place, step.type, step.name)
        known = answers.setdefault(fixturemanager, {})
        if key not in known:
            known[key] = list(find(step=step, fixturemanager=fixturemanager, node=node))
        return list(known[key])

    find_fixturedefs_for_step.remembers = True  # type: ignore[attr-defined]
    return find_fixturedefs_for_step
