from pytest_bdd import scenarios

scenarios("order_fields.feature")
