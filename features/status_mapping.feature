@status_mapping
Feature: Status mapping
  Each ShipStation status is mapped to one or more InkSoft statuses, per store. Defaults
  exist, the mapping can be edited, and matching is case-sensitive. An order whose InkSoft
  status is mapped to nothing is not imported and is reported with its status.

  Background:
    Given a connected store "Eagle Prints"

  Rule: Defaults map every InkSoft status the integration knows

    @b10
    Scenario Outline: The default mapping
      Given InkSoft has the orders
        | order_number | status   | ship_to       |
        | 5301         | <inksoft> | Austin, TX US |
      When I import orders
      Then the order "5301" is imported as "<shipstation>"

      Examples:
        | inksoft          | shipstation       |
        | Unauthorized     | awaiting_payment  |
        | Pending Approval | awaiting_payment  |
        | Open             | awaiting_shipment |
        | Ready to Ship    | awaiting_shipment |
        | On Hold          | on_hold           |
        | Shipped          | shipped           |
        | Completed        | shipped           |
        | Canceled         | cancelled         |

  Rule: The mapping is the store's own, and it can be changed

    @b10
    Scenario: An extra InkSoft status is mapped to On Hold
      Given I change the store settings
        | setting                | value                     |
        | status_mapping.on_hold | On Hold, Awaiting Artwork |
      And InkSoft has the orders
        | order_number | status           | ship_to       |
        | 5311         | Awaiting Artwork | Austin, TX US |
      When I import orders
      Then the order "5311" is imported as "on_hold"

    @b10
    Scenario: A changed mapping replaces the default, it does not add to it
      Given I change the store settings
        | setting                          | value                   |
        | status_mapping.awaiting_shipment | Ready to Ship, Approved |
      And InkSoft has the orders
        | order_number | status        | ship_to       |
        | 5312         | Ready to Ship | Austin, TX US |
        | 5313         | Approved      | Austin, TX US |
        | 5314         | Open          | Austin, TX US |
      When I import orders
      Then the order "5312" is imported as "awaiting_shipment"
      And the order "5313" is imported as "awaiting_shipment"
      And the order "5314" is not imported, reported as "unmapped_status"
      And the report for order "5314" names the status "Open"

    @b10
    Scenario: Matching is case-sensitive
      Given InkSoft has the orders
        | order_number | status        | ship_to       |
        | 5321         | ready to ship | Austin, TX US |
      When I import orders
      Then the order "5321" is not imported, reported as "unmapped_status"
      And the report for order "5321" names the status "ready to ship"

  Rule: Unmapped statuses are reported, not imported

    @b11
    Scenario: A pickup order is not imported and is reported with its status
      Given InkSoft has the orders
        | order_number | status            | ship_to       |
        | 5331         | Ready for Pick Up | Austin, TX US |
        | 5332         | Ready to Ship     | Austin, TX US |
      When I import orders
      Then the import succeeds
      And the orders "5332" are imported
      And the order "5331" is not imported, reported as "unmapped_status"
      And the report for order "5331" names the status "Ready for Pick Up"
