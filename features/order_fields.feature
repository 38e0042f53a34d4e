@order_fields
Feature: Order fields
  Every order-level field the article documents is imported: the customer's e-mail and phone,
  the service chosen at checkout, the payment method, discounts and coupons, the gift flag
  and message, internal and customer notes, and the total weight.

  Background:
    Given a connected store "Eagle Prints"

  @b13
  Scenario: The customer's e-mail address is imported
    Given InkSoft has an order "5401" with
      | field          | value                |
      | customer.email | jane.doe@example.com |
    When I import orders
    Then the imported order "5401" has
      | field          | value                |
      | customer_email | jane.doe@example.com |

  @b14
  Scenario Outline: The customer's phone number is imported
    Given InkSoft has an order "5402" with
      | field                  | value        |
      | customer.bill_to.phone | <bill_phone> |
      | customer.ship_to.phone | <ship_phone> |
    When I import orders
    Then the imported order "5402" has
      | field          | value    |
      | customer_phone | <phone>  |

    Examples:
      | bill_phone   | ship_phone   | phone        |
      | 555-123-4567 | 555-000-1111 | 555-123-4567 |
      |              | 555-000-1111 | 555-000-1111 |

  @b15
  Scenario: The shipping service chosen at checkout is imported
    Given InkSoft has an order "5403" with
      | field           | value            |
      | shipping_method | UPS 2nd Day Air  |
    When I import orders
    Then the imported order "5403" has
      | field             | value           |
      | requested_service | UPS 2nd Day Air |

  @b16
  Scenario: The payment method is imported
    Given InkSoft has an order "5404" with
      | field          | value          |
      | payment_method | Purchase Order |
    When I import orders
    Then the imported order "5404" has
      | field          | value          |
      | payment_method | Purchase Order |

  @b17
  Scenario: Coupon codes and discount amounts are imported
    Given InkSoft has an order "5405" with
      | field        | value           |
      | coupon_codes | SPRING10, TEAM5 |
    And the order "5405" has the items
      | sku         | name            | quantity | unit_price | adjustment |
      | G500-NAVY-L | Gildan 5000 Tee | 2        | 18.00      | false      |
      | SPRING10    | Coupon SPRING10 | 1        | -3.60      | true       |
      | TEAM5       | Coupon TEAM5    | 1        | -5.00      | true       |
    When I import orders
    Then the imported order "5405" has
      | field   | value           |
      | coupons | SPRING10, TEAM5 |
    And the imported order "5405" has the discounts
      | name            | sku      | amount |
      | Coupon SPRING10 | SPRING10 | -3.60  |
      | Coupon TEAM5    | TEAM5    | -5.00  |
    And the imported order "5405" has the items
      | sku         | quantity |
      | G500-NAVY-L | 2        |

  @b18
  Scenario Outline: Whether the order is a gift is imported, with the gift message
    Given InkSoft has an order "5406" with
      | field        | value     |
      | gift         | <gift>    |
      | gift_message | <message> |
    When I import orders
    Then the imported order "5406" has
      | field        | value     |
      | gift         | <gift>    |
      | gift_message | <message> |

    Examples:
      | gift  | message                   |
      | true  | Go team! Love, Aunt Rosa  |
      | false |                           |

  @b19
  Scenario: The channel's internal notes are imported
    Given InkSoft has an order "5407" with the internal notes
      """
      Screen print run #44 – reorder of PO 2291.
      Check the left-chest placement before pressing.
      """
    When I import orders
    Then the imported order "5407" has the same internal notes

  @b20
  Scenario: The notes the customer left at checkout are imported as customer notes
    Given InkSoft has an order "5408" with the customer notes
      """
      Please ship before the tournament & thanks!
      """
    When I import orders
    Then the imported order "5408" has the same customer notes

  @b21
  Scenario Outline: The total weight comes from the channel, else from the items
    Given InkSoft has an order "5409" with
      | field        | value          |
      | weight.value | <order_weight> |
      | weight.units | Ounces         |
    And the order "5409" has the items
      | sku         | name            | quantity | weight | weight_units |
      | G500-NAVY-L | Gildan 5000 Tee | 2        | 6.1    | Ounces       |
      | R112-CAP    | Richardson 112  | 1        | 3.5    | Ounces       |
    When I import orders
    Then the imported order "5409" has
      | field              | value    |
      | total_weight.value | <total>  |
      | total_weight.units | ounces   |

    Examples:
      | order_weight | total |
      | 20.5         | 20.5  |
      |              | 15.7  |
