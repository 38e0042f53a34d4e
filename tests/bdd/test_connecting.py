from pytest_bdd import scenarios

scenarios("connecting.feature")
