@order_fields
Feature: Order fields
  Every order-level field the article documents is imported: the customer's e-mail and phone,
  the service chosen at checkout, the payment method, discounts and coupons, the gift flag
  and message, internal and customer notes, and the total weight.

  Background:
    Given a connected store "Eagle Prints"

  @b13
  Scenario Outline: The customer's e-mail address is imported
    Given InkSoft has an order "5401" with
      | field                  | value        |
      | customer.email         | <customer>   |
      | customer.bill_to.email | <billing>    |
    When I import orders
    Then the imported order "5401" has
      | field          | value      |
      | customer_email | <customer> |

    Examples:
      | customer             | billing                  |
      | jane.doe@example.com | jane.doe@example.com     |
      | jane.doe@example.com | accounts@eagleprints.test |
      | jane.doe@example.com |                          |

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
      | 555-123-4567 |              | 555-123-4567 |
      |              |              | (none)       |

  @b15
  Scenario Outline: The shipping service chosen at checkout is imported
    Given InkSoft has an order "5403" with
      | field           | value     |
      | shipping_method | <service> |
    When I import orders
    Then the imported order "5403" has
      | field             | value     |
      | requested_service | <service> |

    Examples:
      | service                     |
      | UPS 2nd Day Air             |
      | Free Shipping (5-7 days)    |
      |                             |

  @b16
  Scenario Outline: The payment method is imported
    Given InkSoft has an order "5404" with
      | field          | value     |
      | payment_method | <payment> |
    When I import orders
    Then the imported order "5404" has
      | field          | value     |
      | payment_method | <payment> |

    Examples:
      | payment        |
      | Purchase Order |
      | Credit Card    |
      |                |

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

  @b17
  Scenario Outline: One coupon, a repeated discount line, or none
    Given InkSoft has an order "5410" with
      | field        | value     |
      | coupon_codes | <codes>   |
    And the order "5410" has the items
      | sku         | name            | quantity | unit_price   | adjustment |
      | G500-NAVY-L | Gildan 5000 Tee | 3        | 18.00        | false      |
      | <sku>       | <name>          | <times>  | <unit_price> | true       |
    When I import orders
    Then the imported order "5410" has
      | field   | value     |
      | coupons | <coupons> |
    And the imported order "5410" has the discounts
      | name   | sku   | amount   |
      | <name> | <sku> | <amount> |

    Examples:
      | codes         | coupons       | sku         | name               | times | unit_price | amount |
      | TEAMS,SPRING  | TEAMS, SPRING | TEAM-DEAL   | Team discount      | 2     | -4.25      | -8.50  |
      | SUMMER-25     | SUMMER-25     | SUMMER-25   | Coupon SUMMER-25   | 1     | -9.99      | -9.99  |
      |               | (none)        | LOYALTY     | Loyalty adjustment | 1     | -1.00      | -1.00  |

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
      | true  |                           |
      | false | Happy birthday, Sam       |

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
      | weight.units | <order_units>  |
    And the order "5409" has the items
      | sku         | name            | quantity | weight | weight_units |
      | G500-NAVY-L | Gildan 5000 Tee | 2        | <tee>  | <tee_units>  |
      | R112-CAP    | Richardson 112  | 1        | <cap>  | <cap_units>  |
    When I import orders
    Then the imported order "5409" has
      | field              | value   |
      | total_weight.value | <total> |
      | total_weight.units | <units> |

    Examples: the channel's total, in its own unit
      | order_weight | order_units | tee | tee_units | cap | cap_units | total | units  |
      | 20.5         | Ounces      | 6.1 | Ounces    | 3.5 | Ounces    | 20.5  | ounces |
      | 1.5          | Pounds      | 6.1 | Ounces    | 3.5 | Ounces    | 1.5   | pounds |
      | 640          | Grams       | 6.1 | Ounces    | 3.5 | Ounces    | 640   | grams  |

    Examples: no total: the items' weights times their quantities, in the first item's unit
      | order_weight | order_units | tee | tee_units | cap | cap_units | total    | units  |
      |              | Ounces      | 6.1 | Ounces    | 3.5 | Ounces    | 15.7     | ounces |
      |              | Ounces      | 6.1 | Ounces    | 100 | Grams     | 15.7274  | ounces |
      |              | Ounces      | 200 | Grams     | 0.5 | Pounds    | 626.7962 | grams  |
      |              | Ounces      | 0.5 | Pounds    | 3.5 | Ounces    | 1.2188   | pounds |
