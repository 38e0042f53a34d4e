@several_stores
Feature: Several stores
  One connector can hold several InkSoft stores. Each command names its store, by name or by
  Publisher ID; with two stores connected and no name given the connector refuses rather than
  guess, and sends nothing. One store's orders, settings, errors and queued shipment updates
  never mix with another's, even when the two accounts use the same order numbers.

  Background:
    Given InkSoft has an account with Publisher ID 20002 and the users
      | username   | password    | permissions                      |
      | harbor-ops | tide-pool-7 | Store Fulfillment Administration |
    And a connected store "Eagle Prints"
    And a connected store "Harbor Tees" for the InkSoft account 20002 with username "harbor-ops" and password "tide-pool-7"
    And the InkSoft account 10001 has the orders
      | order_number | order_id | status        | ship_to         | order_total |
      | 5000         | 915000   | Ready to Ship | Austin, TX US   | 31.40       |
      | 6601         | 916601   | Ready to Ship | Denver, CO US   | 12.00       |
    And the InkSoft account 20002 has the orders
      | order_number | order_id | status        | ship_to         | order_total |
      | 5000         | 925000   | Ready to Ship | Seattle, WA US  | 78.25       |
      | 6602         | 926602   | Ready to Ship | Boston, MA US   | 19.99       |

  @c02
  Scenario: Each store imports its own account's orders, named by name or Publisher ID
    When I import orders for "Eagle Prints"
    And I import orders for "20002"
    Then the store "Eagle Prints" has the orders "5000, 6601" only
    And the store "Harbor Tees" has the orders "5000, 6602" only
    And the order "5000" of "Eagle Prints" was imported with the total 31.40
    And the order "5000" of "Harbor Tees" was imported with the total 78.25

  @c02
  Scenario Outline: With two stores and no name, the connector refuses rather than guess
    Given I import orders for "Eagle Prints"
    When I try to <command> without naming a store
    Then it is refused with a message naming the stores "Eagle Prints, Harbor Tees"
    And InkSoft received no request
    And the store "Harbor Tees" has no orders
    And the settings of "Eagle Prints" are
      | setting       | value        |
      | branding.name | Eagle Prints |
    And the settings of "Harbor Tees" are
      | setting       | value       |
      | branding.name | Harbor Tees |

    Examples:
      | command                                        |
      | import orders                                  |
      | create labels for all orders awaiting shipment |
      | list the orders                                |
      | change the settings                            |
      | retry the queued shipment updates              |

  @c02
  Scenario: One store's settings never change another's
    When I change the settings of "Harbor Tees"
      | setting                      | value                  |
      | branding.name                | Harbor Tees Co.        |
      | branding.reply_to            | help@harbortees.test   |
      | notifications.shipment_email | false                  |
    Then the settings of "Harbor Tees" are
      | setting                      | value                  |
      | branding.name                | Harbor Tees Co.        |
      | branding.reply_to            | help@harbortees.test   |
      | notifications.shipment_email | false                  |
    And the settings of "Eagle Prints" are
      | setting                      | value                  |
      | branding.name                | Eagle Prints           |
      | branding.reply_to            |                        |
      | notifications.shipment_email | true                   |

  @c02
  Scenario Outline: One store's error never shows on another
    Given the InkSoft account 20002 is inactive
    When I import orders for "<first>"
    And I import orders for "<second>"
    Then the store "Harbor Tees" shows an error containing "not active"
    And the store "Eagle Prints" shows no error
    And the store "Harbor Tees" has no orders
    And the store "Eagle Prints" has the orders "5000, 6601" only

    Examples:
      | first        | second       |
      | Harbor Tees  | Eagle Prints |
      | Eagle Prints | Harbor Tees  |

  @c02
  Scenario: A label for one store's order ships that account's order, not its namesake
    Given I import orders for "Eagle Prints"
    And I import orders for "Harbor Tees"
    When I create labels for the orders "5000" of "Harbor Tees"
    Then InkSoft shows the order "5000" of the account 20002 as "Shipped"
    And InkSoft shows the order "5000" of the account 10001 as "Ready to Ship"
    And the order "5000" of "Eagle Prints" is "awaiting_shipment" in the connector
    And the order "5000" of "Harbor Tees" is "shipped" in the connector

  @c02 @c06
  Scenario: One store's queued shipment update is sent to its own account only
    Given I import orders for "Eagle Prints"
    And I import orders for "Harbor Tees"
    And InkSoft's next shipment notice answers 500
    And I create labels for the orders "6602" of "Harbor Tees"
    When I import orders for "Eagle Prints"
    And I create labels for the orders "6601" of "Eagle Prints"
    Then InkSoft received 1 shipment notice for order "6602"
    And the store "Harbor Tees" has 1 queued shipment update
    And the store "Eagle Prints" has 0 queued shipment updates
    When I retry the queued shipment updates of "Harbor Tees"
    Then InkSoft shows the order "6602" of the account 20002 as "Shipped"
    And the store "Harbor Tees" has 0 queued shipment updates

  @c02
  Scenario: A shipment notice sent to one account never ships another account's order
    When ShipStation sends the account 10001 a shipment notice for the order "6602" of the account 20002
    Then InkSoft answers 404 with the error code "UnknownOrder"
    And InkSoft shows the order "6602" of the account 20002 as "Ready to Ship"
    And InkSoft has received no shipment
