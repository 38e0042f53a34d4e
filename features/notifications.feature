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
      | field          | value                |
      | customer.email  | jane.doe@example.com |
      | status          | Ready to Ship        |
      | shipping_method | Standard Shipping    |
    And I import orders

  @b30
  Scenario: With shipment e-mails on, the customer gets a branded shipment confirmation
    When I create labels for the orders "5701"
    Then "jane.doe@example.com" receives 1 e-mail
    And the e-mail to "jane.doe@example.com" is from "Eagle Prints", replies to "help@eagleprints.test" and gives the carrier and tracking number of order "5701"
    And the e-mail to "jane.doe@example.com" gives the service "USPS Priority Mail" and the tracking link of order "5701"
    And InkSoft's shipment for order "5701" does not ask InkSoft to e-mail the customer

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
