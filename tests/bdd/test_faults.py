from pytest_bdd import scenarios

scenarios("faults.feature")
