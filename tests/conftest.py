"""Settings for the whole test suite."""

from hypothesis import HealthCheck, settings

# Hypothesis' deadline (200 ms an example) and its too-slow check are timings: on a busy
# machine, or beside other xdist workers, an example can pass either for no fault of the code
# (an example took 416 ms once under load, then 1.4 ms). Timing targets live in bench/.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")
