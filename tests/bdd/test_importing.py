from pytest_bdd import scenarios

scenarios("importing.feature")
