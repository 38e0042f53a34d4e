@faults
Feature: Faults and hostile input
  InkSoft misbehaves on demand, and the connector survives it: transient faults are retried,
  persistent ones become a clear store error, hostile documents are refused, and nothing is
  ever lost: orders committed before a fault are kept, labels are kept, shipment updates are
  queued until InkSoft accepts them, and InkSoft ends with exactly one shipment per package.

  Background:
    Given a connected store "Eagle Prints"
    And InkSoft has the orders
      | order_number | status        | ship_to          |
      | 6001         | Ready to Ship | Austin, TX US    |
      | 6002         | Ready to Ship | Portland, OR US  |

  Rule: Export faults

    Scenario Outline: A transient export fault is retried and the import completes
      Given InkSoft's next export answers <fault>
      When I import orders
      Then the import succeeds
      And the orders "6001, 6002" are imported

      Examples:
        | fault                                |
        | 503 with Retry-After 1               |
        | 429 with Retry-After 1               |
        | 502                                  |
        | with a connection reset              |

    Scenario Outline: A persistent export fault fails the refresh with a clear store error
      Given InkSoft's next 5 exports answer <fault>
      When I import orders
      Then the refresh fails with a store error containing "<cause>"
      And the store shows that error
      When I import orders
      Then the import succeeds
      And the store shows no error
      And the orders "6001, 6002" are imported

      Examples:
        | fault                                | cause            |
        | 500                                  | 500              |
        | with a connection reset              | connection       |
        | with a truncated body                | connection       |

    Scenario Outline: A hostile or broken export is refused and loses nothing
      Given I import orders
      And InkSoft has the orders
        | order_number | status        | ship_to       |
        | 6003         | Ready to Ship | Miami, FL US  |
      And InkSoft's next export answers <fault>
      When I import orders
      Then the refresh fails with a store error containing "<cause>"
      And the orders "6001, 6002" are imported
      When I import orders
      Then the import succeeds
      And the orders "6001, 6002, 6003" are imported
      And 3 orders are imported

      Examples:
        | fault                                | cause        |
        | with malformed XML                   | Error in XML |
        | with a DOCTYPE and entities          | Error in XML |
        | with an empty body                   | Error in XML |

    Scenario: A page failing part-way keeps the pages already imported
      Given InkSoft answers exports with 1 orders per page
      And InkSoft's export of page 2 answers 500 five times
      When I import orders
      Then the refresh fails with a store error containing "500"
      And the orders "6001" are imported
      When I import orders
      Then the import succeeds
      And 2 orders are imported

  Rule: Shipment-notice faults

    Background:
      Given I import orders

    Scenario Outline: The label is kept and the update is queued until InkSoft accepts it
      Given InkSoft's next shipment notice answers <fault>
      When I create labels for the orders "6001"
      Then the label batch reports
        | order_number | ok   | notified |
        | 6001         | true | false    |
      And InkSoft has recorded 0 shipments for order "6001"
      When I retry the queued shipment updates
      Then InkSoft has recorded 1 shipment for order "6001"
      And no shipment update is queued
      When I retry the queued shipment updates
      Then InkSoft has recorded 1 shipment for order "6001"

      Examples:
        | fault                   |
        | 503 with Retry-After 1  |
        | 500                     |
        | with a connection reset |

    Scenario: A queued update goes out with the next label batch
      Given InkSoft's next shipment notice answers 500
      And I create labels for the orders "6001"
      When I create labels for the orders "6002"
      Then InkSoft has recorded 1 shipment for order "6001"
      And InkSoft has recorded 1 shipment for order "6002"
      And no shipment update is queued

  Rule: Timeouts are reported as timeouts

    Scenario: InkSoft answering too slowly fails the refresh as a timeout, and loses nothing
      Given the connector waits at most 2 seconds for an answer
      And InkSoft's next 4 exports answer after 3 seconds
      When I import orders
      Then the refresh fails with a store error containing "timed out"
      When I import orders
      Then the import succeeds
      And the orders "6001, 6002" are imported

  Rule: Hostile order data never costs the other orders of the page

    Scenario Outline: A broken order is reported and the rest of its page imports
      Given InkSoft's next export is a page of the orders "6101, 6102, 6103" where "6102" has <problem>
      When I import orders
      Then the orders "6101, 6103" are imported
      And the order "6102" is not imported, reported as "invalid"

      Examples:
        | problem                                   |
        | a negative quantity                       |
        | a quantity of 1000000                     |
        | a unit price of abc                       |
        | an order date of 02/30/2026 10:00         |
        | no order number                           |
        | an order total of 1e400                   |

    Scenario: Over-long fields are kept whole, and the rest of the page imports
      Given InkSoft has an order "6301" with customer notes of 5000 characters
      And InkSoft has the orders
        | order_number | status        | ship_to       |
        | 6302         | Ready to Ship | Austin, TX US |
      When I import orders
      Then the import succeeds
      And the imported order "6301" has the same customer notes
      And the orders "6302" are imported

    Scenario: SQL metacharacters in every free-text field are stored as text
      Given InkSoft has an order "6201" with
        | field                    | value                                |
        | customer_notes           | Robert'); DROP TABLE orders;--       |
        | internal_notes           | 1' OR '1'='1                         |
        | gift_message             | "; DELETE FROM stores; --            |
        | payment_method           | %' UNION SELECT * FROM settings --   |
        | shipping_method          | UPS Ground'; --                      |
        | customer.email           | x'--@example.com                     |
        | customer.ship_to.name    | O'Brien; DROP TABLE shipments        |
      When I import orders
      Then the import succeeds
      And the imported order "6201" has
        | field             | value                                |
        | customer_notes    | Robert'); DROP TABLE orders;--       |
        | internal_notes    | 1' OR '1'='1                         |
        | gift_message      | "; DELETE FROM stores; --            |
        | payment_method    | %' UNION SELECT * FROM settings --   |
        | requested_service | UPS Ground'; --                      |
        | customer_email    | x'--@example.com                     |
        | ship_to.name      | O'Brien; DROP TABLE shipments        |
      And 3 orders are imported
