"""Settings for the whole test suite."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Hypothesis' deadline (200 ms an example) and its too-slow check are timings: on a busy
    machine, or beside other xdist workers, an example can pass either for no fault of the code
    (an example took 416 ms once under load, then 1.4 ms). Timing targets live in bench/.

    Set before any test module is imported; skipped (with Hypothesis' import, a second of a
    short run's start) when Hypothesis' plugin is off, as in the suite's own pytest runs of
    the Gherkin scenarios (``tests/negative_controls``, ``tests/store_mode``), which use none.
    """
    if not config.pluginmanager.has_plugin("_hypothesis_pytestplugin"):
        return
    from hypothesis import HealthCheck, settings

    settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
    settings.load_profile("suite")
