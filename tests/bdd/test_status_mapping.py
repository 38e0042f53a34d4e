from pytest_bdd import scenarios

scenarios("status_mapping.feature")
