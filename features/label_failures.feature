@label_failures
Feature: Labels that cannot be made or kept
  In a label batch, one order's failure is that order's outcome and never stops the others.
  The carrier refuses a label it cannot make (a parcel over the carrier's weight limit, a ZIP
  code that is not one); a label that cannot be saved beside the connector's database (a full
  disk, an unusable labels folder) is a failure too. A refused or unsaved label leaves nothing
  behind: no shipment in the connector, no label file, no shipment update sent to InkSoft, and
  the order still awaits shipment, so that it can be labelled once the cause is fixed.

  Background:
    Given a connected store "Eagle Prints"
    And the store settings are changed
      | setting                               | value                   |
      | service_mapping.UPS Ground            | UPS/UPS Ground          |
      | service_mapping.USPS Priority Mail    | USPS/USPS Priority Mail |
    And InkSoft has an order "6701" with
      | field           | value              |
      | shipping_method | USPS Priority Mail |
      | weight.value    | 80                 |
      | weight.units    | Pounds             |
    And InkSoft has an order "6702" with
      | field                        | value              |
      | shipping_method              | USPS Priority Mail |
      | weight.value                 | 12                 |
      | weight.units                 | Ounces             |
      | customer.ship_to.postal_code | 7870               |
    And InkSoft has an order "6703" with
      | field           | value              |
      | shipping_method | USPS Priority Mail |
      | weight.value    | 69                 |
      | weight.units    | Pounds             |
    And InkSoft has an order "6704" with
      | field           | value              |
      | shipping_method | UPS Ground         |
      | weight.value    | 80                 |
      | weight.units    | Pounds             |
    And I import orders

  @b26
  Scenario: The carrier's refusal stays with its order and the rest of the batch ships
    When I create labels for the orders "6701, 6702, 6703, 6704"
    Then the label batch reports
      | order_number | ok    | error contains       |
      | 6701         | false | limit of 70 lb       |
      | 6702         | false | '7870'               |
      | 6703         | true  |                      |
      | 6704         | true  |                      |
    And the labels of the batch are
      | order_number | carrier | service            |
      | 6703         | USPS    | USPS Priority Mail |
      | 6704         | UPS     | UPS Ground         |
    And InkSoft has received shipments for the orders "6703, 6704" only
    And InkSoft received 0 shipment notices for order "6701"
    And InkSoft received 0 shipment notices for order "6702"
    And InkSoft shows the order "6701" as "Ready to Ship"
    And the orders "6701, 6702" still await shipment in the connector, without a label
    And the orders "6703, 6704" are "shipped" in the connector
    And the label files beside the connector's database are those of the orders "6703, 6704"

  @b26
  Scenario: An order the carrier refused is labelled once its data is fixed
    Given I create labels for the orders "6702, 6703"
    When InkSoft changes the ZIP code of order "6702" to "78701"
    And I import orders
    And I create labels for the orders "6702"
    Then the label batch reports
      | order_number | ok   | carrier |
      | 6702         | true | USPS    |
    And InkSoft has received shipments for the orders "6702, 6703" only
    And the label files beside the connector's database are those of the orders "6702, 6703"

  @b26
  Scenario: Labels that cannot be saved fail order by order, and nothing reaches InkSoft
    Given the labels folder beside the connector's database cannot be written
    When I create labels for the orders "6703, 6701, 6704"
    Then the label batch reports
      | order_number | ok    | error contains       |
      | 6703         | false | could not be saved   |
      | 6701         | false | limit of 70 lb       |
      | 6704         | false | could not be saved   |
    And InkSoft has received no shipment
    And InkSoft received 0 shipment notices for order "6703"
    And the orders "6701, 6703, 6704" still await shipment in the connector, without a label
    When the labels folder beside the connector's database can be written again
    And I create labels for the orders "6703, 6704"
    Then the label batch reports
      | order_number | ok   | carrier |
      | 6703         | true | USPS    |
      | 6704         | true | UPS     |
    And InkSoft has received shipments for the orders "6703, 6704" only
    And the label files beside the connector's database are those of the orders "6703, 6704"
