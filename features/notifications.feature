@notifications
Feature: Customer e-mails
  ShipStation e-mails the customer at the imported address: a shipment confirmation when the
  label is created and a delivery confirmation when the carrier reports the package delivered,
  each as the store's notification preferences say, branded with the store's settings.

  Background:
    Given a connected store "Eagle Prints"
    And the store sends e-mail through the local SMTP server
    And the store settings are changed
      | setting           | value                 |
      | branding.name     | Eagle Prints          |
      | branding.reply_to | help@eagleprints.test |
    And InkSoft has an order "5701" with
      | field               | value                |
      | customer.email      | jane.doe@example.com |
      | status              | Ready to Ship        |
      | shipping_method     | Standard Shipping    |
      | ship_to.name        | Jane Doe             |
      | ship_to.company     | Doe & Daughters      |
      | ship_to.address1    | 12 Main St           |
      | ship_to.address2    | Apt 4B               |
      | ship_to.city        | Austin               |
      | ship_to.state       | TX                   |
      | ship_to.postal_code | 78704                |
      | ship_to.country     | US                   |
    And the order "5701" has the items
      | sku          | name                         | quantity | unit_price | weight | weight_units | adjustment | color  | size | design            |
      | G500-NAVY-L  | Gildan 5000 Heavy Cotton Tee | 2        | 18.00      | 6.1    | Ounces       | false      | Navy   | L    | Eagles Front Logo |
      | SPRING10     | Coupon SPRING10              | 1        | -3.60      |        |              | true       |        |      |                   |
      | R112-CAP     | Richardson 112 Trucker Cap   | 1        | 22.00      | 3.5    | Ounces       | false      | Khaki  |      |                   |
      | BC3001-RED-M | Bella+Canvas 3001 Tee        | 3        | 16.50      | 5.4    | Ounces       | false      | Red    | M    | Robot Club        |
    And I import orders

  @b30
  Scenario: With shipment e-mails on, the customer gets a branded shipment confirmation
    When I create labels for the orders "5701"
    Then "jane.doe@example.com" receives 1 e-mail
    And the e-mail to "jane.doe@example.com" is from "Eagle Prints", replies to "help@eagleprints.test" and gives the carrier and tracking number of order "5701"
    And the e-mail to "jane.doe@example.com" gives the service "USPS Priority Mail" and the tracking link of order "5701"
    And InkSoft's shipment for order "5701" does not ask InkSoft to e-mail the customer
    And the e-mails to "jane.doe@example.com" are, in order
      | subject                                       |
      | Your order 5701 from Eagle Prints has shipped |
    And the e-mail to "jane.doe@example.com" gives, in its text and its HTML, the label of order "5701"
      | detail             | value                                                                 |
      | Carrier            | USPS                                                                  |
      | Service            | USPS Priority Mail                                                    |
      | Tracking number    | {tracking number}                                                     |
      | Track your package | https://tools.usps.com/go/TrackConfirmAction?tLabels={tracking number} |
    And the e-mail to "jane.doe@example.com" lists, in its text and its HTML, the items
      | quantity | item                         | design            | colour | size |
      | 2        | Gildan 5000 Heavy Cotton Tee | Eagles Front Logo | Navy   | L    |
      | 1        | Richardson 112 Trucker Cap   |                   | Khaki  |      |
      | 3        | Bella+Canvas 3001 Tee        | Robot Club        | Red    | M    |
    And the e-mail to "jane.doe@example.com" does not mention "SPRING10"
    And the e-mail to "jane.doe@example.com" ships, in its text and its HTML, to
      """
      Jane Doe
      Doe & Daughters
      12 Main St
      Apt 4B
      Austin, TX 78704
      US
      """
    And the e-mail to "jane.doe@example.com" has no notes to the buyer

  @b30 @b29
  Scenario: The shipment confirmation carries the notes to the buyer, line by line
    Given the store settings are changed
      | setting              | value                      |
      | branding.name        | Robot Club Merch           |
      | service_mapping.Standard Shipping | UPS/UPS Ground |
    When I create labels for the orders "5701" with the notes to the buyer
      """
      Thanks for ordering from us!
      Wash inside out, cold & hang to dry.
      """
    Then the e-mails to "jane.doe@example.com" are, in order
      | subject                                           |
      | Your order 5701 from Robot Club Merch has shipped |
    And the e-mail to "jane.doe@example.com" gives, in its text and its HTML, the notes to the buyer under "A note from Robot Club Merch"
    And the e-mail to "jane.doe@example.com" gives, in its text and its HTML, the label of order "5701"
      | detail             | value                                              |
      | Carrier            | UPS                                                |
      | Service            | UPS Ground                                         |
      | Tracking number    | {tracking number}                                  |
      | Track your package | https://www.ups.com/track?tracknum={tracking number} |
    And InkSoft's shipment for order "5701" carries the same notes to the buyer

  @b30
  Scenario: With shipment e-mails off, none is sent
    Given the store settings are changed
      | setting                      | value |
      | notifications.shipment_email | false |
    When I create labels for the orders "5701"
    Then no e-mail is sent
    And InkSoft's shipment for order "5701" asks InkSoft to e-mail the customer

  @b31
  Scenario: With delivery e-mails on, the customer hears when the package is delivered
    Given the store settings are changed
      | setting                      | value |
      | notifications.shipment_email | false |
    And I create labels for the orders "5701"
    When the carrier reports the order "5701" delivered
    Then "jane.doe@example.com" receives 1 e-mail
    And the e-mail to "jane.doe@example.com" says order "5701" was delivered
    And the e-mails to "jane.doe@example.com" are, in order
      | subject                                               |
      | Your order 5701 from Eagle Prints has been delivered |
    And the e-mail to "jane.doe@example.com" gives, in its text and its HTML, the label of order "5701"
      | detail             | value                                                                 |
      | Carrier            | USPS                                                                  |
      | Service            | USPS Priority Mail                                                    |
      | Tracking number    | {tracking number}                                                     |
      | Track your package | https://tools.usps.com/go/TrackConfirmAction?tLabels={tracking number} |
    And the e-mail to "jane.doe@example.com" lists, in its text and its HTML, the items
      | quantity | item                         | design            | colour | size |
      | 2        | Gildan 5000 Heavy Cotton Tee | Eagles Front Logo | Navy   | L    |
      | 1        | Richardson 112 Trucker Cap   |                   | Khaki  |      |
      | 3        | Bella+Canvas 3001 Tee        | Robot Club        | Red    | M    |
    And the e-mail to "jane.doe@example.com" ships, in its text and its HTML, to
      """
      Jane Doe
      Doe & Daughters
      12 Main St
      Apt 4B
      Austin, TX 78704
      US
      """

  @b31 @b30
  Scenario: Each e-mail is sent once: a second delivery report, a second batch or a refresh sends none
    Given I create labels for the orders "5701"
    When the carrier reports the order "5701" delivered
    And the carrier reports the order "5701" delivered
    And I create labels for the orders "5701"
    And I import orders
    Then the e-mails to "jane.doe@example.com" are, in order
      | subject                                               |
      | Your order 5701 from Eagle Prints has shipped        |
      | Your order 5701 from Eagle Prints has been delivered |
    And the order "5701" is recorded as delivered
    And the delivery reports answered
      | order_number | delivered | emailed |
      | 5701         | true      | true    |
      | 5701         | false     | false   |

  @b31
  Scenario: With delivery e-mails off, none is sent
    Given the store settings are changed
      | setting                      | value |
      | notifications.shipment_email | false |
      | notifications.delivery_email | false |
    And I create labels for the orders "5701"
    When the carrier reports the order "5701" delivered
    Then no e-mail is sent
    And the order "5701" is recorded as delivered
    And the delivery reports answered
      | order_number | delivered | emailed |
      | 5701         | true      | false   |
