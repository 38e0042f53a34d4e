from pytest_bdd import scenarios

scenarios("refresh_window.feature")
