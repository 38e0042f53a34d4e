from pytest_bdd import scenarios

scenarios("amounts_and_billing.feature")
