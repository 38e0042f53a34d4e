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
      | SS4500-BLK-M     | Independent SS4500 Hoodie     | 3        | 1.25   | Pounds       | https://cdn.inksoft.test/designs/chess-club/black.png       | Rack 7    | Black         | M    | Chess Club Crest  |
      | STICKER-PACK     | Die-cut sticker pack          | 5        |        |              |                                                             |           |               |      |                   |
    When I import orders

  @b22
  Scenario: Each item's weight is imported in its unit
    Then the imported order "5501" has the items
      | sku              | weight.value | weight.units |
      | G500-NAVY-L      | 6.1          | ounces       |
      | CC1717-PEPPER-XL | 180          | grams        |
      | SS4500-BLK-M     | 1.25         | pounds       |
      | STICKER-PACK     | (none)       | (none)       |

  @b23
  Scenario: Each item's image URL is imported
    Then the imported order "5501" has the items
      | sku              | image_url                                              |
      | G500-NAVY-L      | https://cdn.inksoft.test/designs/eagles-front/navy.png |
      | CC1717-PEPPER-XL | https://cdn.inksoft.test/designs/robot-club/pepper.png |
      | SS4500-BLK-M     | https://cdn.inksoft.test/designs/chess-club/black.png  |
      | STICKER-PACK     | (none)                                                 |

  @b24
  Scenario: Each item's options are imported
    Then item "G500-NAVY-L" of order "5501" has the options
      | name   | value             |
      | Color  | Navy              |
      | Size   | L                 |
      | Design | Eagles Front Logo |
    And the imported order "5501" has the items
      | sku              | color  | size   | design            |
      | G500-NAVY-L      | Navy   | L      | Eagles Front Logo |
      | CC1717-PEPPER-XL | Pepper | XL     | Robot Club        |
      | SS4500-BLK-M     | Black  | M      | Chess Club Crest  |
      | STICKER-PACK     | (none) | (none) | (none)            |
    And item "CC1717-PEPPER-XL" of order "5501" has the options
      | name   | value      |
      | Color  | Pepper     |
      | Size   | XL         |
      | Design | Robot Club |

  @b25
  Scenario: Each item's warehouse location is imported
    Then the imported order "5501" has the items
      | sku              | location |
      | G500-NAVY-L      | Shelf B3 |
      | CC1717-PEPPER-XL | Bin C-12 |
      | SS4500-BLK-M     | Rack 7   |
      | STICKER-PACK     | (none)   |
