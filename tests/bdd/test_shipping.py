from pytest_bdd import scenarios

scenarios("shipping.feature")
