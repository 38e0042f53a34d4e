"""docs/steps.md lists every step the feature files can use: generated, never stale."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from background_runs import BackgroundRun, declare, session_runs, temporary_folder

pytestmark = pytest.mark.awaits_background_run  # run after the rest (background_runs)

ROOT = Path(__file__).resolve().parents[1]
STEPDOC = ROOT / "tests" / "bdd" / "stepdoc.py"


def start_the_check(config: pytest.Config) -> BackgroundRun:
    """``python tests/bdd/stepdoc.py --check``, as a developer runs it."""
    command = [sys.executable, str(STEPDOC), "--check"]
    return BackgroundRun(command, cwd=ROOT, folder=temporary_folder(config, "stepdoc"))


declare("step_catalogue_check", start_the_check)  # started when collection ends


@pytest.fixture
def step_catalogue_check(pytestconfig: pytest.Config) -> BackgroundRun:
    return session_runs(pytestconfig).run("step_catalogue_check")


def test_the_step_catalogue_is_up_to_date(step_catalogue_check: BackgroundRun):
    done = step_catalogue_check.finished(timeout=120)
    assert done.returncode == 0, (
        "docs/steps.md is out of date with tests/bdd/bdd_steps/: "
        "regenerate it with `python tests/bdd/stepdoc.py`\n" + done.stderr
    )


def test_every_step_has_a_one_line_meaning():
    sys.path.insert(0, str(STEPDOC.parent))
    from stepdoc import step_docs

    docs = step_docs()
    assert len(docs) > 90
    missing = [doc.phrase for doc in docs if not doc.meaning]
    assert not missing, f"steps without a docstring (their meaning in docs/steps.md): {missing}"


def test_a_regex_step_reads_as_its_phrase():
    sys.path.insert(0, str(STEPDOC.parent))
    from stepdoc import regex_phrase

    phrase, parameters = regex_phrase(
        r'InkSoft has an order "(?P<number>\d+)" with the (?P<which>customer notes|gift message)'
        r'(?: for "(?P<who>[^"]+)")? (?P<count>\d+) times?$'
    )
    assert (
        phrase == 'InkSoft has an order "{number}" with the {which}[ for "{who}"] {count} time[s]'
    )
    assert parameters == [
        "`number` (integer)",
        "`which` (one of: *customer notes*, *gift message*)",
        "`who` (text)",
        "`count` (integer)",
    ]
