@troubleshooting
Feature: Troubleshooting: the empty-queue error
  When the InkSoft account has no pending orders, InkSoft answers with an empty body, which is
  not XML, and ShipStation shows a store error. Nothing already imported is lost, and the error
  clears by itself at the next refresh that finds orders.

  Background:
    Given a connected store "Eagle Prints"

  @b32
  Scenario: No pending orders: the refresh fails with "Error in XML."
    When I import orders
    Then the refresh fails with the store error "Error updating store: An error occurred attempting to update orders: Error in XML."
    And the store shows the error "Error updating store: An error occurred attempting to update orders: Error in XML."

  @b32
  Scenario: The error loses nothing already imported
    Given InkSoft has the orders
      | order_number | status        | ship_to       | last_modified |
      | 5801         | Ready to Ship | Austin, TX US | 2 days ago    |
      | 5802         | Ready to Ship | Denver, CO US | 2 days ago    |
    And I import orders
    And a day has passed since the last refresh
    When I import orders
    Then the refresh fails with the store error "Error updating store: An error occurred attempting to update orders: Error in XML."
    And the orders "5801, 5802" are imported

  @b33
  Scenario: The error clears at the next refresh with orders to import
    Given I import orders
    And the store shows the error "Error updating store: An error occurred attempting to update orders: Error in XML."
    And InkSoft has the orders
      | order_number | status        | ship_to       |
      | 5811         | Ready to Ship | Austin, TX US |
    When I import orders
    Then the import succeeds
    And the store shows no error
    And the orders "5811" are imported
