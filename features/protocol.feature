@protocol
Feature: Protocol facts
  The wire contract both sides follow (shared/spec/protocol.md): how credentials travel, which
  orders an export returns, how large exports are paged, how free text survives, and how
  InkSoft applies shipment notices. Notices in this feature are sent by a bare HTTP client
  speaking the protocol, so that InkSoft's side of the contract is specified on its own.

  Background:
    Given a connected store "Eagle Prints"

  @p01
  Scenario Outline: Credentials are accepted as HTTP Basic and as SS-UserName/SS-Password
    Given InkSoft has the orders
      | order_number | status        | ship_to       |
      | 5901         | Ready to Ship | Austin, TX US |
    When ShipStation asks for an export with the credentials "demo" / "demo-password" as <form>
    Then InkSoft answers 200 with the orders "5901"
    When ShipStation asks for an export with the credentials "demo" / "not-the-password" as <form>
    Then InkSoft answers 401 with the error code "InvalidCredentials"

    Examples:
      | form             |
      | HTTP Basic       |
      | query parameters |
      | request headers  |

  @p01
  Scenario: The connector imports with either form of credentials
    Given the connector sends its credentials as query parameters
    And InkSoft has the orders
      | order_number | status        | ship_to       |
      | 5902         | Ready to Ship | Austin, TX US |
    When I import orders
    Then the import succeeds
    And the orders "5902" are imported

  @p02
  Scenario: An export returns every order modified in the window, whatever its status, and only those
    Given the connector's clock reads "2026-03-06T12:00:00Z"
    And the store settings are changed
      | setting             | value |
      | import.initial_days | 3     |
    And InkSoft has the orders
      | order_number | status        | ship_to       | last_modified        |
      | 5911         | Ready to Ship | Austin, TX US | 2026-03-02T12:00:00Z |
      | 5912         | Ready to Ship | Austin, TX US | 2026-03-03T12:00:00Z |
      | 5913         | Shipped       | Austin, TX US | 2026-03-04T08:30:00Z |
      | 5914         | Canceled      | Austin, TX US | 2026-03-05T17:45:00Z |
      | 5915         | On Hold       | Austin, TX US | 2026-03-06T12:00:00Z |
      | 5916         | Ready to Ship | Austin, TX US | 2026-03-06T12:01:00Z |
    When I import orders
    Then the import succeeds
    And the orders "5912, 5913, 5914, 5915" are imported
    And the orders "5911, 5916" are not imported

  @p03
  Scenario: A large export is read page by page, every order exactly once
    Given InkSoft answers exports with 25 orders per page
    And InkSoft has 110 orders generated with seed 11, all "Ready to Ship" with a shipping address
    When I import orders
    Then the import succeeds
    And the import read 5 pages
    And 110 orders are imported
    And InkSoft was asked for the pages "1, 2, 3, 4, 5"

  @p04
  Scenario: Free text survives the trip exactly
    Given InkSoft has an order "5921" with the same text as customer notes, internal notes and gift message
      """
      Tom & Jerry's <b>"special"</b> order ]]> stays intact, 'quotes' too.
      Café, naïve, Zürich, 東京 — emoji 🎽👕🧢
        indented line, trailing spaces kept   
      """
    When I import orders
    Then the imported order "5921" has the same text as customer notes, internal notes and gift message

  @p04
  Scenario: Long notes survive the trip exactly
    Given InkSoft has an order "5922" with customer notes of 1000 characters
    When I import orders
    Then the imported order "5922" has the same customer notes

  Rule: InkSoft's side of shipment notices

    Background:
      Given InkSoft has an order "5931" with the items
        | line_item_id | sku           | name                         | quantity |
        | 5931-1       | G500-NAVY-L   | Gildan 5000 Heavy Cotton Tee | 2        |
        | 5931-2       | R112-CAP-KHK  | Richardson 112 Trucker Cap   | 1        |

    @p05
    Scenario: A shipment notice retried with the same order, carrier and tracking number is applied once
      When ShipStation sends a shipment notice for order "5931" with carrier "UPS" and tracking number "1Z999AA10123456784"
      And ShipStation sends a shipment notice for order "5931" with carrier "UPS" and tracking number "1Z999AA10123456784"
      Then InkSoft answered 200 to both notices
      And InkSoft has recorded 1 shipment for order "5931"

    @p05
    Scenario: Different tracking numbers are different packages
      When ShipStation sends a shipment notice for order "5931" with carrier "UPS" and tracking number "1Z999AA10123456784"
      And ShipStation sends a shipment notice for order "5931" with carrier "UPS" and tracking number "1Z12345E0205271688"
      Then InkSoft has recorded 2 shipments for order "5931"

    @p06
    Scenario Outline: A bad shipment notice is refused clearly and changes nothing
      When ShipStation sends a shipment notice <problem>
      Then InkSoft answers <status> with the error code "<code>"
      And InkSoft has recorded 0 shipments for order "5931"
      And InkSoft shows the order "5931" as "Ready to Ship"

      Examples:
        | problem                                  | status | code         |
        | for the unknown order "7777"             | 404    | UnknownOrder |
        | whose body is not well-formed XML        | 400    | MalformedXml |
        | whose body declares a DOCTYPE and entity | 400    | MalformedXml |

    @p07
    Scenario: A notice listing some items ships those; the order is Shipped once every item has
      When ShipStation sends a shipment notice for order "5931" with carrier "UPS" and tracking number "1Z999AA10123456784" for the items "5931-1"
      Then InkSoft shows the order "5931" as "Ready to Ship"
      When ShipStation sends a shipment notice for order "5931" with carrier "USPS" and tracking number "9400111899223197428490" for the items "5931-2"
      Then InkSoft shows the order "5931" as "Shipped"
      And InkSoft has recorded 2 shipments for order "5931"
