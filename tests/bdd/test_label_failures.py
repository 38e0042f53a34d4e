from pytest_bdd import scenarios

scenarios("label_failures.feature")
