from pytest_bdd import scenarios

scenarios("notifications.feature")
