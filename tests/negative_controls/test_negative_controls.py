"""The kit proves it can fail: the suite run against each broken connector must fail, on the
scenarios of the behaviour that connector gets wrong (and only there: the run is limited to
that behaviour's tag). And what a connector does not declare is neither passed nor failed.

Each run is a real run of the real scenarios, in a pytest session of its own: in this process
(``pytester``) for the drivers, in a process of its own for the command line, started with the
module's first test so that it runs while the others do."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

# Loaded here, once, with the connector and its libraries: pytester unloads what a run imports,
# and cryptography's compiled core (the connector's secrets) cannot load twice in a process.
import broken_connectors  # noqa: F401
import pytest

pytest_plugins = ["pytester"]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BROKEN = HERE / "broken_connectors.py"

# control → (behaviour it gets wrong, how the suite reaches it)
CONTROLS = {
    "B09 in process": ("b09", ["--connector-driver", "broken_connectors:AddresslessImports"]),
    "B28 in process": ("b28", ["--connector-driver", "broken_connectors:FeelessNotices"]),
    "B33 in process": ("b33", ["--connector-driver", "broken_connectors:StickyStoreError"]),
    # Through the command line every step is a process: one B28 scenario (the one on the fee)
    # shows the mistake reaches the suite that way too; the in-process run above has them all.
    "B28 as a process": (
        "b28",
        ["--connector-cmd", f"{sys.executable} {BROKEN} FeelessNotices", "-k", "carrier_fee"],
    ),
}
AS_A_PROCESS = "B28 as a process"  # the one control whose session is a process of its own
UNDECLARED = ("b30", ["--connector-driver", "broken_connectors:WithoutEmail"])
# Plugins of the suite's addopts (pyproject.toml) that the Gherkin scenarios do not use, left
# out to keep each run short (Hypothesis' profile, and so its import, comes with its plugin).
UNUSED_PLUGINS = ("_hypothesis_pytestplugin", "xdist.plugin")
QUIET_PLUGINS = [arg for name in UNUSED_PLUGINS for arg in ("-p", f"no:{name}")]
ARGS = ["tests/bdd", "-q", "--tb=line", *QUIET_PLUGINS]


def without_our_variables() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "INKSOFT_"))}


@pytest.fixture(scope="module")
def process_run() -> Iterator[subprocess.Popen[str]]:
    """The command-line control's pytest process, started at once (not waited for here)."""
    tag, option = CONTROLS[AS_A_PROCESS]
    env = without_our_variables()
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")]))
    run = subprocess.Popen(
        [sys.executable, "-m", "pytest", *ARGS, "-m", tag, *option],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield run
    if run.poll() is None:  # a test failed before it was waited for
        run.kill()
        run.communicate()


@pytest.fixture
def run_control(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, process_run: subprocess.Popen
):
    """Run a control: its exit code and its output."""

    def run(control: str) -> tuple[int, str]:
        if control == AS_A_PROCESS:
            return process_run.wait(timeout=600), process_run.communicate()[0]
        tag, option = UNDECLARED if control == "undeclared" else CONTROLS[control]
        for name in set(os.environ) - set(without_our_variables()):
            monkeypatch.delenv(name)
        monkeypatch.chdir(ROOT)
        monkeypatch.syspath_prepend(HERE)
        result = pytester.runpytest_inprocess(*ARGS, "-m", tag, *option)
        return result.ret, result.stdout.str()

    return run


@pytest.mark.parametrize("control", CONTROLS)
def test_the_suite_fails_a_connector_wrong_in_one_behaviour(control, run_control):
    behaviour = CONTROLS[control][0]
    code, output = run_control(control)
    last_line = output.strip().splitlines()[-1]
    assert code == pytest.ExitCode.TESTS_FAILED, output
    assert re.search(r"\b\d+ failed\b", last_line) and "error" not in last_line, output
    # every scenario run is tagged with the behaviour (-m); some specify others as well
    assert re.search(rf"^failed \(\d+\): .*\b{behaviour.upper()}\b", output, re.M), output
    assert f"re-run: pytest tests/bdd -m {behaviour} --connector-" in output, output


def test_scenarios_needing_an_undeclared_capability_are_not_applicable(run_control):
    code, output = run_control("undeclared")
    last_line = output.strip().splitlines()[-1]
    assert code == pytest.ExitCode.OK, output
    # the four B30 scenarios; two of them specify B29 and B31 as well
    assert re.search(r"\b4 not applicable\b", last_line), last_line
    assert not re.search(r"passed|failed|skipped|error", last_line), last_line
    assert "not applicable (3): B29 B30 B31" in output and "failed (0)" in output, output
