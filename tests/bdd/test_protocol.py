from pytest_bdd import scenarios

scenarios("protocol.feature")
