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
      | order_number | status        | ship_to          | shipping_method    | last_modified |
      | 5601         | Ready to Ship | Austin, TX US    | UPS Ground         | 2 hours ago   |
      | 5602         | Ready to Ship | Portland, OR US  | USPS Priority Mail | 2 hours ago   |
      | 5603         | Ready to Ship | Miami, FL US     | FedEx Ground       | 2 hours ago   |
      | 5604         | On Hold       | Denver, CO US    | UPS Ground         | 2 hours ago   |
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
    And InkSoft received 2 shipment notices in all

  @b27
  Scenario: After a label, the InkSoft order is Shipped with its tracking number
    When I create labels for the orders "5601"
    Then InkSoft shows the order "5601" as "Shipped"
    And InkSoft's shipment for order "5601" carries the tracking number of its label
    And InkSoft's order "5601" was last modified when its shipment arrived
    And the order "5601" is "shipped" in the connector
    And InkSoft shows the order "5602" as "Ready to Ship"

  @b27
  Scenario: The next import brings the shipped orders back as shipped, without duplicates
    When I create labels for all orders awaiting shipment
    And I import orders
    And I import orders
    Then the orders "5601, 5602, 5603" are "shipped" in the connector
    And 4 orders are imported
    And InkSoft received 1 shipment notice for each of the orders "5601, 5602, 5603"
    And InkSoft received 3 shipment notices in all

  @b27
  Scenario: An order with a coupon line is Shipped once its products are
    Given InkSoft has an order "5621" with the items
      | line_item_id | sku         | name                       | quantity | unit_price | adjustment |
      | 5621-1       | G500-NAVY-L | Gildan 5000 Tee            | 2        | 18.00      | false      |
      | 5621-2       | SPRING10    | Coupon SPRING10            | 1        | -3.60      | true       |
      | 5621-3       | R112-CAP    | Richardson 112 Trucker Cap | 1        | 22.00      | false      |
    And I import orders
    When I create labels for the orders "5621"
    Then the label batch reports
      | order_number | ok   | notified |
      | 5621         | true | true     |
    And InkSoft shows the order "5621" as "Shipped"
    And InkSoft's shipment for order "5621" lists the items "G500-NAVY-L, R112-CAP"

  @b28 @b21
  Scenario: Each label is rated on the order's weight and destination, with the mapped service
    Given the store settings are changed
      | setting              | value                 |
      | service_mapping.Rush | UPS/UPS Next Day Air  |
    And InkSoft has the orders to ship
      | order_number | requested service  | ship to                   | order weight | items                         |
      | 5611         | UPS Ground         | Austin, TX 78701 US       | (none)       | 2 × 6.1 Ounces, 1 × 100 Grams |
      | 5612         | Standard Shipping  | Portland, OR 97201 US     | (none)       | 1 × 1.25 Pounds, 2 × 3 Ounces |
      | 5613         | Rush               | Indianapolis, IN 46204 US | (none)       | 3 × 250 Grams                 |
      | 5614         | FedEx Ground       | Miami, FL 33101 US        | 2 Pounds     | 1 × 6.1 Ounces                |
      | 5615         | USPS Priority Mail | Toronto, ON M5V3L9 CA     | (none)       | 1 × 8 Ounces                  |
      | 5616         | UPS Ground         | Austin, TX 78701 US       | (none)       | 1 × 1 Pounds                  |
    And I import orders
    When I create labels for the orders "5611, 5612, 5613, 5614, 5615, 5616"
    Then the labels are rated
      | order_number | carrier | service            | rated weight | carrier fee |
      | 5611         | UPS     | UPS Ground         | 15.7         | 13.06       |
      | 5612         | USPS    | USPS Priority Mail | 26.0         | 19.04       |
      | 5613         | UPS     | UPS Next Day Air   | 26.5         | 40.20       |
      | 5614         | FedEx   | FedEx Ground       | 32.0         | 12.32       |
      | 5615         | USPS    | USPS Priority Mail | 8.0          | 28.45       |
      | 5616         | UPS     | UPS Ground         | 16.0         | 13.06       |
    And every label has a tracking number valid for its carrier, a carrier fee and a label file

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

  @b27 @b28 @b29
  Scenario: The shipment update InkSoft receives names the order, the label, the recipient and the products
    Given InkSoft has an order "5631" with
      | field               | value               |
      | customer.email      | sam.lee@example.com |
      | shipping_method     | UPS Ground          |
      | ship_to.name        | Sam Lee             |
      | ship_to.company     | Lee & Sons Robotics |
      | ship_to.address1    | 400 Congress Ave    |
      | ship_to.address2    | Suite 210           |
      | ship_to.city        | Round Rock          |
      | ship_to.state       | TX                  |
      | ship_to.postal_code | 78664               |
      | ship_to.country     | US                  |
      | ship_to.phone       | 512-555-0199        |
    And the order "5631" has the items
      | line_item_id | sku          | name                       | quantity | unit_price | weight | weight_units | adjustment |
      | 5631-1       | G500-NAVY-L  | Gildan 5000 Tee            | 2        | 18.00      | 6.1    | Ounces       | false      |
      | 5631-2       | SPRING10     | Coupon SPRING10            | 1        | -3.60      |        |              | true       |
      | 5631-3       | R112-CAP     | Richardson 112 Trucker Cap | 3        | 22.00      | 3.5    | Ounces       | false      |
    And I import orders
    And the connector's clock reads "2026-03-04T23:45:00Z"
    When I create labels for the orders "5631" with the notes to the buyer
      """
      Thanks, Sam!
      """
    Then the shipment update InkSoft received for order "5631" is UTF-8 XML that reads
      | element                   | value                      |
      | OrderNumber               | 5631                       |
      | OrderID                   | 2005631                    |
      | CustomerCode              | sam.lee@example.com        |
      | NotesToCustomer           | Thanks, Sam!               |
      | NotifyCustomer            | false                      |
      | LabelCreateDate           | 03/04/2026 23:45           |
      | ShipDate                  | 03/04/2026                 |
      | Carrier                   | UPS                        |
      | Service                   | UPS Ground                 |
      | TrackingNumber            | {tracking number}          |
      | ShippingCost              | {carrier fee}              |
      | Recipient/Name            | Sam Lee                    |
      | Recipient/Company         | Lee & Sons Robotics        |
      | Recipient/Address1        | 400 Congress Ave           |
      | Recipient/Address2        | Suite 210                  |
      | Recipient/City            | Round Rock                 |
      | Recipient/State           | TX                         |
      | Recipient/PostalCode      | 78664                      |
      | Recipient/Country         | US                         |
      | Recipient/Phone           | 512-555-0199               |
      | Items/Item[1]/LineItemID  | 5631-1                     |
      | Items/Item[1]/SKU         | G500-NAVY-L                |
      | Items/Item[1]/Name        | Gildan 5000 Tee            |
      | Items/Item[1]/Quantity    | 2                          |
      | Items/Item[2]/LineItemID  | 5631-3                     |
      | Items/Item[2]/SKU         | R112-CAP                   |
      | Items/Item[2]/Name        | Richardson 112 Trucker Cap |
      | Items/Item[2]/Quantity    | 3                          |
      | Items/Item[3]             | (none)                     |
    And the shipment update for order "5631" was sent to InkSoft with the query
      | parameter       | value             |
      | order_number    | 5631              |
      | carrier         | UPS               |
      | service         | UPS Ground        |
      | tracking_number | {tracking number} |
    And InkSoft recorded the shipment of order "5631" as
      | field                 | value               |
      | carrier               | UPS                 |
      | service               | UPS Ground          |
      | tracking_number       | {tracking number}   |
      | shipping_cost         | {carrier fee}       |
      | customer_code         | sam.lee@example.com |
      | ship_date             | 2026-03-04          |
      | recipient.name        | Sam Lee             |
      | recipient.company     | Lee & Sons Robotics |
      | recipient.address1    | 400 Congress Ave    |
      | recipient.address2    | Suite 210           |
      | recipient.city        | Round Rock          |
      | recipient.state       | TX                  |
      | recipient.postal_code | 78664               |
      | recipient.country     | US                  |
      | recipient.phone       | 512-555-0199        |
    And InkSoft kept the shipment update of order "5631" as it was received
