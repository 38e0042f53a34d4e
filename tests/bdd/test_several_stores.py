from pytest_bdd import scenarios

scenarios("several_stores.feature")
