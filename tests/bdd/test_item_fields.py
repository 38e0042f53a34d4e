from pytest_bdd import scenarios

scenarios("item_fields.feature")
