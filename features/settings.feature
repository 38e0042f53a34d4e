@settings
Feature: Store settings
  After connecting, the store has settings for branding (the name and reply-to address shown
  in customer e-mails), notification preferences and product management. Changes persist.

  Background:
    Given a connected store "Eagle Prints"

  @b07
  Scenario: Settings can be changed and the changes persist
    When I change the store settings
      | setting                      | value                 |
      | branding.name                | Eagle Prints & Co.    |
      | branding.reply_to            | help@eagleprints.test |
      | notifications.shipment_email | false                 |
      | notifications.delivery_email | false                 |
      | products.create_from_sku     | false                 |
      | products.fill_missing        | false                 |
    And I reopen the connector
    Then the store settings are
      | setting                      | value                 |
      | branding.name                | Eagle Prints & Co.    |
      | branding.reply_to            | help@eagleprints.test |
      | notifications.shipment_email | false                 |
      | notifications.delivery_email | false                 |
      | products.create_from_sku     | false                 |
      | products.fill_missing        | false                 |

  @b07
  Scenario: Products are created from imported SKUs and fill what a later item lacks
    Given InkSoft has an order "5101" with the items
      | sku         | name                         | weight | weight_units | location | color | size | design            |
      | G500-NAVY-L | Gildan 5000 Heavy Cotton Tee | 173    | Grams        | Shelf B3 | Navy  | L    | Eagles Front Logo |
    And I import orders
    And InkSoft has an order "5102" with the items
      | sku          | name                         | weight | weight_units | location | color | size | design            |
      | G500-NAVY-L  | Gildan 5000 Heavy Cotton Tee |        |              |          | Navy  | L    | Eagles Front Logo |
      | BC3001-RED-M | Bella+Canvas 3001 Tee        | 0.4    | Pounds       | Bin C-12 | Red   | M    | Robot Club        |
    When I import orders
    Then the product catalogue has
      | sku          | weight | weight_units | location |
      | G500-NAVY-L  | 173    | grams        | Shelf B3 |
      | BC3001-RED-M | 0.4    | pounds       | Bin C-12 |
    And item "G500-NAVY-L" of order "5102" has
      | field        | value    |
      | weight.value | 173      |
      | weight.units | grams    |
      | location     | Shelf B3 |

  @b07
  Scenario: With product management off, nothing is created and nothing is filled
    Given I change the store settings
      | setting                  | value |
      | products.create_from_sku | false |
      | products.fill_missing    | false |
    And InkSoft has an order "5103" with the items
      | sku          | name                  | weight | location | color | size | design     |
      | BC3001-RED-M | Bella+Canvas 3001 Tee |        |          | Red   | M    | Robot Club |
    When I import orders
    Then the product catalogue is empty
    And item "BC3001-RED-M" of order "5103" has
      | field    | value  |
      | weight   | (none) |
      | location | (none) |

  @b07
  Scenario: An unknown setting is refused with its name
    When I try to change the store setting "branding.colour" to "blue"
    Then the change is refused with a message containing "branding.colour"

  @b07 @b22 @b25
  Scenario: What an item has is kept; only a missing weight or location is filled from the product
    Given InkSoft has an order "5104" with the items
      | sku          | name                         | weight | weight_units | location | color | size | design            |
      | G500-NAVY-L  | Gildan 5000 Heavy Cotton Tee | 173    | Grams        | Shelf B3 | Navy  | L    | Eagles Front Logo |
      | BC3001-RED-M | Bella+Canvas 3001 Tee        | 0.4    | Pounds       | Bin C-12 | Red   | M    | Robot Club        |
    And I import orders
    And InkSoft has an order "5105" with the items
      | sku          | name                         | weight | weight_units | location | color | size | design            |
      | G500-NAVY-L  | Gildan 5000 Heavy Cotton Tee | 7.5    | Ounces       |          | Navy  | L    | Eagles Front Logo |
      | BC3001-RED-M | Bella+Canvas 3001 Tee        |        |              | Bin Z-9  | Red   | M    | Robot Club        |
    When I import orders
    Then the imported order "5105" has the items
      | sku          | weight.value | weight.units | location |
      | G500-NAVY-L  | 7.5          | ounces       | Shelf B3 |
      | BC3001-RED-M | 0.4          | pounds       | Bin Z-9  |
    And the product catalogue lists exactly the SKUs "BC3001-RED-M, G500-NAVY-L"
    And the product catalogue has
      | sku          | name                         | weight | weight_units | location |
      | G500-NAVY-L  | Gildan 5000 Heavy Cotton Tee | 173    | grams        | Shelf B3 |
      | BC3001-RED-M | Bella+Canvas 3001 Tee        | 0.4    | pounds       | Bin C-12 |

  @b07
  Scenario Outline: Creating products and filling items follow their two settings apart
    Given InkSoft has an order "5111" with the items
      | sku         | name                         | weight | weight_units | location | color | size | design            |
      | G500-NAVY-L | Gildan 5000 Heavy Cotton Tee | 173    | Grams        | Shelf B3 | Navy  | L    | Eagles Front Logo |
      | PLAIN-TOTE  | Natural canvas tote          |        |              | Bin T-0  |       |      |                   |
      | SS4500-BLK  | Independent SS4500 Hoodie    | 1.25   | Pounds       |          | Black |      |                   |
    And I import orders
    And I change the store settings
      | setting                  | value    |
      | products.create_from_sku | <create> |
      | products.fill_missing    | <fill>   |
    And InkSoft has an order "5112" with the items
      | sku         | name                         | weight | weight_units | location | color | size | design            |
      | G500-NAVY-L | Gildan 5000 Heavy Cotton Tee |        |              |          | Navy  | L    | Eagles Front Logo |
      | PLAIN-TOTE  | Natural canvas tote          | 5      | Ounces       | Bin T-1  |       |      |                   |
      | NEW-CAP-OS  | Richardson 112 Trucker Cap   | 3.5    | Ounces       | Rack 2   |       |      |                   |
      | SS4500-BLK  | Independent SS4500 Hoodie    | 20     | Ounces       | Rack 7   | Black |      |                   |
    When I import orders
    Then the imported order "5112" has the items
      | sku         | weight.value    | weight.units    | location          |
      | G500-NAVY-L | <filled weight> | <filled units>  | <filled location> |
      | PLAIN-TOTE  | 5               | ounces          | Bin T-1           |
      | NEW-CAP-OS  | 3.5             | ounces          | Rack 2            |
      | SS4500-BLK  | 20              | ounces          | Rack 7            |
    And the product catalogue lists exactly the SKUs "<skus>"
    And the product catalogue has
      | sku         | weight        | weight_units | location          |
      | G500-NAVY-L | 173           | grams        | Shelf B3          |
      | PLAIN-TOTE  | <tote weight> | <tote units> | Bin T-0           |
      | SS4500-BLK  | 1.25          | pounds       | <hoodie location> |

    Examples:
      | create | fill  | filled weight | filled units | filled location | skus                                            | tote weight | tote units | hoodie location |
      | true   | true  | 173           | grams        | Shelf B3        | G500-NAVY-L, NEW-CAP-OS, PLAIN-TOTE, SS4500-BLK | 5           | ounces     | Rack 7          |
      | true   | false | (none)        | (none)       | (none)          | G500-NAVY-L, NEW-CAP-OS, PLAIN-TOTE, SS4500-BLK | 5           | ounces     | Rack 7          |
      | false  | true  | 173           | grams        | Shelf B3        | G500-NAVY-L, PLAIN-TOTE, SS4500-BLK             | (none)      | (none)     | (none)          |
      | false  | false | (none)        | (none)       | (none)          | G500-NAVY-L, PLAIN-TOTE, SS4500-BLK             | (none)      | (none)     | (none)          |
