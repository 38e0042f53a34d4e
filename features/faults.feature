@faults
Feature: Faults and hostile input
  InkSoft misbehaves on demand, and the connector survives it: transient faults are retried,
  persistent ones become a clear store error, hostile documents are refused, and nothing is
  ever lost: orders committed before a fault are kept, labels are kept, shipment updates are
  queued until InkSoft accepts them, and InkSoft ends with exactly one shipment per package.
  What InkSoft received is read from its request log: how many times an export or a shipment
  update was sent, and when. A lasting fault ("keeps answering") lasts until InkSoft answers
  normally again, however many times the connector tries.

  Background:
    Given a connected store "Eagle Prints"
    And InkSoft has the orders
      | order_number | status        | ship_to          |
      | 6001         | Ready to Ship | Austin, TX US    |
      | 6002         | Ready to Ship | Portland, OR US  |

  Rule: Export faults

    @c05
    Scenario Outline: InkSoft saying to retry later is honoured: the export is asked again after Retry-After
      Given InkSoft's next export answers <status> with Retry-After 1
      And InkSoft's request log is empty
      When I import orders
      Then the import succeeds
      And the orders "6001, 6002" are imported
      And InkSoft was asked for the export 2 times
      And InkSoft was asked again at least 1 second after it said to retry later

      Examples:
        | status |
        | 503    |
        | 429    |

    @c05
    Scenario Outline: A transient export fault is retried and the import completes
      Given InkSoft's next export answers <fault>
      And InkSoft's request log is empty
      When I import orders
      Then the import succeeds
      And the orders "6001, 6002" are imported
      And InkSoft was asked for the export 2 times
      And the store shows no error

      Examples:
        | fault                   |
        | 500                     |
        | 502                     |
        | 504                     |
        | with a connection reset |
        | with a truncated body   |

    @c05
    Scenario Outline: A persistent export fault fails the refresh with a clear store error
      Given InkSoft's exports keep answering <fault>
      And InkSoft's request log is empty
      When I import orders
      Then the refresh fails with a store error containing "<cause>"
      And the store shows that error
      And InkSoft was asked for the export more than once
      And the orders "6001, 6002" are not imported
      When InkSoft answers normally again
      And I import orders
      Then the import succeeds
      And the store shows no error
      And the orders "6001, 6002" are imported

      Examples:
        | fault                   | cause      |
        | 500                     | HTTP 500   |
        | 502                     | HTTP 502   |
        | with a connection reset | reset      |
        | with a truncated body   | connection |

    @c07
    Scenario Outline: A hostile or broken export is refused and loses nothing
      Given I import orders
      And InkSoft has the orders
        | order_number | status        | ship_to       |
        | 6003         | Ready to Ship | Miami, FL US  |
      And InkSoft's next export answers <fault>
      When I import orders
      Then the refresh fails with a store error containing "<cause>"
      And the store shows that error
      And the orders "6001, 6002" are imported
      And the orders "6003" are not imported
      When I import orders
      Then the import succeeds
      And the orders "6001, 6002, 6003" are imported
      And 3 orders are imported

      Examples:
        | fault                                  | cause                                      |
        | with malformed XML                     | Error in XML                               |
        | with a DOCTYPE and entities            | DOCTYPE                                    |
        | with an empty body                     | Error in XML                               |
        | with a SOAP envelope instead of orders | not an <Orders> document: it is <Envelope> |

    @c05 @c01
    Scenario: A page failing part-way keeps the pages already imported
      Given InkSoft answers exports with 1 orders per page
      And InkSoft's export of page 2 keeps answering 500
      When I import orders
      Then the refresh fails with a store error containing "500"
      And the orders "6001" are imported
      And the orders "6002" are not imported
      When InkSoft answers normally again
      And I import orders
      Then the import succeeds
      And 2 orders are imported

  Rule: Shipment-notice faults

    Background:
      Given I import orders

    @c06
    Scenario Outline: The label is kept and the update is queued until InkSoft accepts it
      Given InkSoft's next shipment notice answers <fault>
      When I create labels for the orders "6001"
      Then the label batch reports
        | order_number | ok   | notified |
        | 6001         | true | false    |
      And InkSoft has recorded 0 shipments for order "6001"
      And the connector keeps the label of order "6001" from its batch
      And the order "6001" is "shipped" in the connector
      When I retry the queued shipment updates
      Then InkSoft has recorded 1 shipment for order "6001"
      And InkSoft's shipment for order "6001" carries the tracking number of its label
      And no shipment update is queued
      When I retry the queued shipment updates
      And I import orders
      And I create labels for the orders "6002"
      Then InkSoft has recorded 1 shipment for order "6001"
      And InkSoft received 2 shipment notices for order "6001"

      Examples:
        | fault                   |
        | 503 with Retry-After 1  |
        | 500                     |
        | with a connection reset |

    @c06
    Scenario Outline: A queued update goes out with the next label batch, refresh or explicit retry, once
      Given InkSoft's next shipment notice answers 500
      And I create labels for the orders "6001"
      When <next action>
      Then InkSoft has recorded 1 shipment for order "6001"
      And InkSoft shows the order "6001" as "Shipped"
      And InkSoft's shipment for order "6001" carries the tracking number the connector recorded
      And no shipment update is queued
      And InkSoft received 2 shipment notices for order "6001"
      When I import orders
      And I retry the queued shipment updates
      And I create labels for the orders "6002"
      Then InkSoft received 2 shipment notices for order "6001"
      And InkSoft received 1 shipment notice for order "6002"

      Examples:
        | next action                             |
        | I create labels for the orders "6002"   |
        | I import orders                         |
        | I retry the queued shipment updates     |

    @c06
    Scenario: An update InkSoft keeps refusing stays queued with its label, never dropped
      Given InkSoft's shipment notices keep answering 500
      And I create labels for the orders "6001"
      When I retry the queued shipment updates
      And I import orders
      Then the connector keeps the label of order "6001" from its batch
      And the order "6001" is "shipped" in the connector
      When I create labels for the orders "6002"
      Then InkSoft has recorded 0 shipments for order "6001"
      And InkSoft received 4 shipment notices for order "6001"
      And the store has 2 queued shipment updates
      When InkSoft answers normally again
      And I retry the queued shipment updates
      Then InkSoft has recorded 1 shipment for order "6001"
      And InkSoft has recorded 1 shipment for order "6002"
      And InkSoft's shipment for order "6001" carries the tracking number the connector recorded
      And no shipment update is queued

    @c06
    Scenario: An update InkSoft applied but whose answer was lost is sent again and applied once
      Given InkSoft's next shipment notice answers with a truncated body
      And I create labels for the orders "6001"
      When I retry the queued shipment updates
      Then InkSoft has recorded 1 shipment for order "6001"
      And InkSoft received 2 shipment notices for order "6001"
      And no shipment update is queued

  Rule: Timeouts are reported as timeouts

    @c05
    Scenario: One answer too slow is retried, and the import completes
      Given the connector waits at most 0.15 seconds for an answer
      And InkSoft's next export answers after 0.3 seconds
      When I import orders
      Then the import succeeds
      And the orders "6001, 6002" are imported

    @c05
    Scenario: InkSoft answering too slowly fails the refresh as a timeout, and loses nothing
      Given the connector waits at most 0.15 seconds for an answer
      And InkSoft's exports keep answering after 0.3 seconds
      When I import orders
      Then the refresh fails with a store error containing "timed out"
      When InkSoft answers normally again
      And I import orders
      Then the import succeeds
      And the orders "6001, 6002" are imported

  Rule: Hostile order data never costs the other orders of the page

    @c07
    Scenario Outline: A broken order is reported with its reason and the rest of its page imports
      Given InkSoft's next export is a page of the orders "6101, 6102, 6103" where "6102" has <problem>
      When I import orders
      Then the import succeeds
      And the orders "6101, 6103" are imported
      And the order "6102" is not imported, reported as "invalid"
      And the report for order "6102" names "<element>"

      Examples:
        | problem                           | element     |
        | a negative quantity               | Quantity    |
        | a quantity of 1000000             | Quantity    |
        | a unit price of abc               | UnitPrice   |
        | an order date of 02/30/2026 10:00 | OrderDate   |
        | no order number                   | OrderNumber |
        | an order total of 1e400           | OrderTotal  |
        | an item weight of -6.1            | Weight      |
        | no customer                       | Customer    |

    @c07
    Scenario: A broken version of an order imported earlier keeps the earlier copy
      Given InkSoft has the orders
        | order_number | status        | ship_to       |
        | 6102         | Ready to Ship | Austin, TX US |
      And I import orders
      And InkSoft's next export is a page of the orders "6101, 6102, 6103" where "6102" has a negative quantity
      When I import orders
      Then the import succeeds
      And the orders "6101, 6102, 6103" are imported
      And the order "6102" is imported as "awaiting_shipment"
      And the report for order "6102" names "Quantity"

    @c07
    Scenario: Over-long fields are kept whole, and the rest of the page imports
      Given InkSoft has an order "6301" with customer notes of 5000 characters
      And InkSoft has the orders
        | order_number | status        | ship_to       |
        | 6302         | Ready to Ship | Austin, TX US |
      When I import orders
      Then the import succeeds
      And the imported order "6301" has the same customer notes
      And the orders "6302" are imported

    @c07
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
