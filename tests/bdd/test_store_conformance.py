from pytest_bdd import scenarios

from bdd_steps.store import *  # noqa: F403 - the store steps are fixtures of this module

scenarios("store_conformance.feature")
