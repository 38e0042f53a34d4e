@shipping
Feature: Labels in bulk and the shipment update
  ShipStation creates shipping labels for a batch of orders awaiting shipment, then marks each
  InkSoft order Shipped with the tracking number, carrier, service and carrier fee, and the
  notes to the buyer added on the ShipStation side.

  Background:
    Given a connected store "Eagle Prints"
    And the store settings are changed
      | setting                       | value                 |
      | service_mapping.UPS Ground    | UPS/UPS Ground        |
      | service_mapping.FedEx Ground  | FedEx/FedEx Ground    |
    And InkSoft has the orders
      | order_number | status        | ship_to          | shipping_method    |
      | 5601         | Ready to Ship | Austin, TX US    | UPS Ground         |
      | 5602         | Ready to Ship | Portland, OR US  | USPS Priority Mail |
      | 5603         | Ready to Ship | Miami, FL US     | FedEx Ground       |
      | 5604         | On Hold       | Denver, CO US    | UPS Ground         |
    And I import orders

  @b26
  Scenario: A batch of orders awaiting shipment gets one label each
    When I create labels for all orders awaiting shipment
    Then the label batch reports
      | order_number | ok   | carrier |
      | 5601         | true | UPS     |
      | 5602         | true | USPS    |
      | 5603         | true | FedEx   |
    And every label has a tracking number valid for its carrier, a carrier fee and a label file

  @b26
  Scenario: One order failing does not stop the others
    When I create labels for the orders "5601, 5604, 5603, 9999"
    Then the label batch reports
      | order_number | ok    | error contains            |
      | 5601         | true  |                           |
      | 5604         | false | on_hold                   |
      | 5603         | true  |                           |
      | 9999         | false | 9999                      |
    And InkSoft has received shipments for the orders "5601, 5603" only

  @b27
  Scenario: After a label, the InkSoft order is Shipped with its tracking number
    When I create labels for the orders "5601"
    Then InkSoft shows the order "5601" as "Shipped"
    And InkSoft's shipment for order "5601" carries the tracking number of its label
    And the order "5601" is "shipped" in the connector

  @b27
  Scenario: The next import brings the shipped orders back as shipped, without duplicates
    When I create labels for all orders awaiting shipment
    And I import orders
    Then the orders "5601, 5602, 5603" are "shipped" in the connector
    And 4 orders are imported

  @b28
  Scenario: The shipment update carries the carrier, the service and the carrier fee
    When I create labels for the orders "5601, 5602"
    Then InkSoft's shipments carry the carrier, service and fee of their labels
      | order_number | carrier | service            |
      | 5601         | UPS     | UPS Ground         |
      | 5602         | USPS    | USPS Priority Mail |

  @b29
  Scenario: The shipment update carries the notes to the buyer
    When I create labels for the orders "5601" with the notes to the buyer
      """
      Thanks for ordering from Eagle Prints! Wash inside out, cold.
      """
    Then InkSoft's shipment for order "5601" carries the same notes to the buyer
