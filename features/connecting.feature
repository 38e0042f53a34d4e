@connecting
Feature: Connecting an InkSoft store
  A store is connected with three fields: the InkSoft username, password and Publisher ID.
  The InkSoft account must be active and the user must hold the
  Store Fulfillment Administration permission. Every refusal says why, and stores nothing.

  Background:
    Given InkSoft has an account with Publisher ID 20002 and the users
      | username | password    | permissions                      |
      | ops      | s3cret-Pass | Store Fulfillment Administration |
      | viewer   | v1ewer-Pass | Order Viewing                    |

  @b01
  Scenario: A store connects and gets its settings with sensible defaults
    When I connect the store "Eagle Prints" with username "ops", password "s3cret-Pass" and Publisher ID "20002"
    Then the store "Eagle Prints" is connected to Publisher ID 20002
    And the store settings are
      | setting                      | value        |
      | branding.name                | Eagle Prints |
      | notifications.shipment_email | true         |
      | notifications.delivery_email | true         |
      | products.create_from_sku     | true         |
      | products.fill_missing        | true         |
    And the password "s3cret-Pass" appears in no message, log or database file

  @b01
  Scenario: An account with no pending orders still connects
    Given the InkSoft account 20002 has no orders
    And InkSoft's default account 10001 has an order modified just now
    When I connect the store "Eagle Prints" with username "ops", password "s3cret-Pass" and Publisher ID "20002"
    Then the store "Eagle Prints" is connected to Publisher ID 20002
    And the store shows no error

  @b01 @p02
  Scenario: A store imports its own account's orders, never another account's
    Given InkSoft has the orders
      | order_number | publisher_id | status        | ship_to       |
      | 5001         | 20002        | Ready to Ship | Austin, TX US |
      | 5002         | 10001        | Ready to Ship | Denver, CO US |
    When I connect the store "Eagle Prints" with username "ops", password "s3cret-Pass" and Publisher ID "20002"
    And I import orders
    Then the import succeeds
    And the orders "5001" are imported
    And the orders "5002" are not imported

  @b02
  Scenario: An inactive InkSoft account is refused
    Given the InkSoft account 20002 is inactive
    When I try to connect the store "Eagle Prints" with username "ops", password "s3cret-Pass" and Publisher ID "20002"
    Then the connection is refused with a message containing "not active"
    And no store is stored

  @b03
  Scenario Outline: A wrong username or password is refused and never echoed
    When I try to connect the store "Eagle Prints" with username "<username>", password "<password>" and Publisher ID "20002"
    Then the connection is refused with a message containing "username or password"
    And no store is stored
    And the password "<password>" appears in no message, log or database file

    Examples:
      | username | password         |
      | ops      | Wrong-Pass-7731  |
      | nobody   | s3cret-Pass      |

  @b04
  Scenario: A Publisher ID that InkSoft does not know is refused
    When I try to connect the store "Eagle Prints" with username "ops", password "s3cret-Pass" and Publisher ID "99999"
    Then the connection is refused with a message containing "99999"
    And no store is stored

  @b05
  Scenario: A user without Store Fulfillment Administration is refused
    When I try to connect the store "Eagle Prints" with username "viewer", password "v1ewer-Pass" and Publisher ID "20002"
    Then the connection is refused with a message containing "Store Fulfillment Administration"
    And no store is stored

  @b06
  Scenario Outline: A missing or blank field is refused before any request is sent
    When I try to connect the store "Eagle Prints" with username "<username>", password "<password>" and Publisher ID "<publisher_id>"
    Then the connection is refused with a message containing "<missing>"
    And InkSoft received no request
    And no store is stored

    Examples:
      | username | password    | publisher_id | missing      |
      |          | s3cret-Pass | 20002        | username     |
      | ops      |             | 20002        | password     |
      | ops      | s3cret-Pass |              | Publisher ID |
      | (blank)  | s3cret-Pass | 20002        | username     |
      | ops      | (blank)     | (blank)      | password     |
