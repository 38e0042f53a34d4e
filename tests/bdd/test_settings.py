from pytest_bdd import scenarios

scenarios("settings.feature")
