"""The command-line control's session starts once collection ends (see control_runs)."""

from __future__ import annotations

import pytest
from background_runs import is_xdist_worker
from control_runs import AS_A_PROCESS, PROCESS_RUN, start_process_run


def pytest_collection_finish(session: pytest.Session) -> None:
    config = session.config
    if config.option.collectonly or PROCESS_RUN in config.stash:
        return
    if is_xdist_worker(config):
        return  # an xdist worker: the test starts the process if it runs the control
    if any(f"[{AS_A_PROCESS}]" in item.nodeid for item in session.items):
        run = config.stash[PROCESS_RUN] = start_process_run(config)
        config.add_cleanup(run.stop)
