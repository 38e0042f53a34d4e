"""docs/steps.md lists every step the feature files can use: generated, never stale."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STEPDOC = ROOT / "tests" / "bdd" / "stepdoc.py"


def test_the_step_catalogue_is_up_to_date():
    done = subprocess.run(
        [sys.executable, str(STEPDOC), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
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
