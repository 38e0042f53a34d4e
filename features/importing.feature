@importing
Feature: Importing orders
  ShipStation imports InkSoft orders with the design, colour and size of every item. An order
  must have a shipping address to be imported. A later change in InkSoft updates the order
  already imported instead of duplicating it.

  Background:
    Given a connected store "Eagle Prints"

  @b08
  Scenario: Orders import with each item's design, colour and size
    Given InkSoft has an order "5201" with the items
      | sku           | name                            | quantity | color       | size | design            |
      | G500-NAVY-L   | Gildan 5000 Heavy Cotton Tee    | 2        | Navy        | L    | Eagles Front Logo |
      | SS4500-BLK-XL | Independent SS4500 Hooded Sweat | 1        | Black       | XL   | Eagles Back Print |
    When I import orders
    Then the import succeeds
    And the order "5201" is imported as "awaiting_shipment"
    And the imported order "5201" has the items
      | sku           | quantity | color | size | design            |
      | G500-NAVY-L   | 2        | Navy  | L    | Eagles Front Logo |
      | SS4500-BLK-XL | 1        | Black | XL   | Eagles Back Print |

  @b08
  Scenario: A whole shop's worth of generated orders imports
    Given InkSoft has 40 orders generated with seed 7, all "Ready to Ship" with a shipping address
    When I import orders
    Then the import succeeds
    And 40 orders are imported
    And every imported item has a design, a colour and a size

  @b09
  Scenario: An order without a shipping address is skipped; the others still import
    Given InkSoft has the orders
      | order_number | status        | ship_to       |
      | 5211         | Ready to Ship | Austin, TX US |
      | 5212         | Ready to Ship | none          |
      | 5213         | Ready to Ship | Denver, CO US |
    When I import orders
    Then the import succeeds
    And the orders "5211, 5213" are imported
    And the order "5212" is not imported, reported as "no_shipping_address"

  @b09
  Scenario Outline: An address without a street, city, ZIP or country is no shipping address
    Given InkSoft has an order "5214" with
      | field                   | value   |
      | customer.ship_to.<part> | <value> |
    And InkSoft has the orders
      | order_number | status        | ship_to       |
      | 5215         | Ready to Ship | Austin, TX US |
    When I import orders
    Then the import succeeds
    And the orders "5215" are imported
    And the order "5214" is not imported, reported as "no_shipping_address"

    Examples:
      | part        | value   |
      | address1    | (empty) |
      | address1    | (blank) |
      | city        | (empty) |
      | postal_code | (blank) |
      | country     | (empty) |

  @b09
  Scenario Outline: An address without its optional parts still ships
    Given InkSoft has an order "5216" with
      | field                   | value   |
      | customer.ship_to.<part> | <value> |
    When I import orders
    Then the import succeeds
    And the orders "5216" are imported

    Examples:
      | part     | value   |
      | address2 |         |
      | state    |         |
      | company  | (empty) |
      | phone    | (blank) |

  @b12
  Scenario Outline: A later change in InkSoft updates the imported order
    Given InkSoft has the orders
      | order_number | status           | ship_to       |
      | 5221         | <before>         | Austin, TX US |
    And I import orders
    When InkSoft changes the order "5221"
      | field  | value   |
      | status | <after> |
    And I import orders
    Then the order "5221" is imported once, as "<status>"
    And the refresh reports the order "5221" as updated

    Examples: paid, cancelled, shipped elsewhere
      | before        | after         | status            |
      | Unauthorized  | Ready to Ship | awaiting_shipment |
      | Ready to Ship | Canceled      | cancelled         |
      | Ready to Ship | Shipped       | shipped           |

  @b12
  Scenario: An edited order is updated in place
    Given InkSoft has the orders
      | order_number | status        | ship_to       | customer_notes |
      | 5231         | Ready to Ship | Austin, TX US | Leave at door  |
    And I import orders
    When InkSoft changes the order "5231"
      | field          | value                      |
      | customer_notes | Ring the bell, back office |
    And I import orders
    Then the order "5231" is imported once, as "awaiting_shipment"
    And the imported order "5231" has
      | field          | value                      |
      | customer_notes | Ring the bell, back office |
