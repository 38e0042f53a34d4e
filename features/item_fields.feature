@item_fields
Feature: Item fields
  Each item is imported with its weight, its image URL, its options (colour, size, design)
  and its inventory (warehouse) location.

  Background:
    Given a connected store "Eagle Prints"
    And InkSoft has an order "5501" with the items
      | sku              | name                          | quantity | weight | weight_units | image_url                                                   | location  | color         | size | design            |
      | G500-NAVY-L      | Gildan 5000 Heavy Cotton Tee  | 2        | 6.1    | Ounces       | https://cdn.inksoft.test/designs/eagles-front/navy.png      | Shelf B3  | Navy          | L    | Eagles Front Logo |
      | CC1717-PEPPER-XL | Comfort Colors 1717 Tee       | 1        | 180    | Grams        | https://cdn.inksoft.test/designs/robot-club/pepper.png      | Bin C-12  | Pepper        | XL   | Robot Club        |
    When I import orders

  @b22
  Scenario: Each item's weight is imported in its unit
    Then the imported order "5501" has the items
      | sku              | weight.value | weight.units |
      | G500-NAVY-L      | 6.1          | ounces       |
      | CC1717-PEPPER-XL | 180          | grams        |

  @b23
  Scenario: Each item's image URL is imported
    Then the imported order "5501" has the items
      | sku              | image_url                                              |
      | G500-NAVY-L      | https://cdn.inksoft.test/designs/eagles-front/navy.png |
      | CC1717-PEPPER-XL | https://cdn.inksoft.test/designs/robot-club/pepper.png |

  @b24
  Scenario: Each item's options are imported
    Then item "G500-NAVY-L" of order "5501" has the options
      | name   | value             |
      | Color  | Navy              |
      | Size   | L                 |
      | Design | Eagles Front Logo |
    And the imported order "5501" has the items
      | sku              | color  | size | design            |
      | G500-NAVY-L      | Navy   | L    | Eagles Front Logo |
      | CC1717-PEPPER-XL | Pepper | XL   | Robot Club        |

  @b25
  Scenario: Each item's warehouse location is imported
    Then the imported order "5501" has the items
      | sku              | location |
      | G500-NAVY-L      | Shelf B3 |
      | CC1717-PEPPER-XL | Bin C-12 |
