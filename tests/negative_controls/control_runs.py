"""The negative controls and how each one's pytest session is run.

The drivers' controls run in the test's process (``pytester``). The command-line control's
session is a process of its own (every step of its scenario is one more), declared to
``background_runs``: started as soon as collection ends, so that it runs beside the rest of
the suite; in an xdist worker, which cannot know at that point whether it will run the
control, when the test needs it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from background_runs import BackgroundRun, declare, temporary_folder

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


def start_process_run(config: pytest.Config) -> BackgroundRun:
    """The command-line control's pytest process, its output in a folder of the basetemp."""
    tag, option = CONTROLS[AS_A_PROCESS]
    env = without_our_variables()
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")]))
    folder = temporary_folder(config, "negative-control")
    return BackgroundRun.pytest(
        [*ARGS, "-m", tag, *option], cwd=ROOT, folder=folder, env=env, merged=True
    )


PROCESS_RUN = "negative-control process"
declare(PROCESS_RUN, start_process_run, wanted=lambda item: f"[{AS_A_PROCESS}]" in item.nodeid)
