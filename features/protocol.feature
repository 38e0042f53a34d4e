@protocol
Feature: Protocol facts
  The wire contract both sides follow (docs/protocol.md): how credentials travel, which
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

  @p01 @b03
  Scenario: A request without credentials is refused on the wire with its error code
    When ShipStation sends an export without credentials on the wire
    Then InkSoft answers 401 with the error code "InvalidCredentials"

  @b02 @b04 @b05
  Scenario Outline: An account InkSoft refuses is refused on the wire with its error code
    Given InkSoft has an account with Publisher ID 20002 and the users
      | username | password    | permissions                      |
      | ops      | s3cret-Pass | Store Fulfillment Administration |
      | viewer   | v1ewer-Pass | Order Viewing                    |
    And InkSoft has an account with Publisher ID 30003 and the users
      | username | password    | permissions                      |
      | ops      | s3cret-Pass | Store Fulfillment Administration |
    And the InkSoft account 30003 is inactive
    When ShipStation sends <request> on the wire
    Then InkSoft answers <status> with the error code "<code>"

    Examples:
      | request                                               | status | code             |
      | an export for a Publisher ID no account has           | 404    | UnknownPublisher |
      | an export for an inactive account                     | 403    | AccountInactive  |
      | an export by a user without the fulfilment permission | 403    | PermissionDenied |

  @p02 @p03
  Scenario Outline: A request InkSoft cannot read is refused on the wire with its error code
    When ShipStation sends <request> on the wire
    Then InkSoft answers <status> with the error code "<code>"

    Examples:
      | request                                 | status | code             |
      | a request without an action             | 400    | InvalidRequest   |
      | a request with an unknown action        | 400    | InvalidRequest   |
      | an export without an end date           | 400    | InvalidRequest   |
      | an export with an unreadable start date | 400    | InvalidRequest   |
      | an export of page 0                     | 400    | InvalidRequest   |
      | an export sent as a POST                | 405    | MethodNotAllowed |
      | a shipment notice sent as a GET         | 405    | MethodNotAllowed |

  @p01
  Scenario: The connector imports with either form of credentials
    Given the connector sends its credentials as query parameters
    And InkSoft has the orders
      | order_number | status        | ship_to       |
      | 5902         | Ready to Ship | Austin, TX US |
    When I import orders
    Then the import succeeds
    And the orders "5902" are imported
    And every request InkSoft received from the connector carried its credentials as query parameters

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
      | 5917         | Ready to Ship | Austin, TX US | 2026-03-03T11:59:00Z |
    When I import orders
    Then the import succeeds
    And the orders "5912, 5913, 5914, 5915" are imported
    And the orders "5911, 5916, 5917" are not imported

  @p02
  Scenario: The window is on the last modified time, not on the order date
    Given InkSoft has the orders
      | order_number | status        | ship_to       | order_date           | last_modified        |
      | 5941         | Ready to Ship | Austin, TX US | 2026-03-05T09:00:00Z | 2026-02-20T09:00:00Z |
      | 5942         | Shipped       | Austin, TX US | 2026-01-10T09:00:00Z | 2026-03-05T09:00:00Z |
      | 5943         | Ready to Ship | Austin, TX US | 2026-03-04T23:59:00Z | 2026-03-04T23:59:00Z |
      | 5944         | Canceled      | Austin, TX US | 2026-03-01T10:00:00Z | 2026-03-06T10:00:00Z |
      | 5945         | Ready to Ship | Austin, TX US | 2026-03-06T10:00:00Z | 2026-03-06T10:01:00Z |
    When ShipStation asks for the export from "2026-03-05T00:00:00Z" to "2026-03-06T10:00:00Z"
    Then InkSoft answers 200 with pages="1" and the orders "5942, 5944"

  @p03
  Scenario: Pages hold the orders by last modified time, then order ID, each exactly once
    Given InkSoft answers exports with 3 orders per page
    And InkSoft has the orders
      | order_number | order_id | status        | ship_to       | last_modified        |
      | 5951         | 100      | Ready to Ship | Austin, TX US | 2026-03-05T09:00:00Z |
      | 5952         | 99       | Ready to Ship | Austin, TX US | 2026-03-05T09:00:00Z |
      | 5953         | 1000     | Shipped       | Austin, TX US | 2026-03-05T09:00:00Z |
      | 5954         | 7        | Ready to Ship | Austin, TX US | 2026-03-05T10:00:00Z |
      | 5955         | 5        | On Hold       | Austin, TX US | 2026-03-04T08:00:00Z |
      | 5956         | 55       | Ready to Ship | Austin, TX US | 2026-03-05T11:00:00Z |
      | 5957         | 56       | Canceled      | Austin, TX US | 2026-03-05T11:30:00Z |
    When ShipStation asks for the export from "2026-03-01T00:00:00Z" to "2026-03-06T00:00:00Z" page 1
    Then InkSoft answers 200 with pages="3" and the orders "5955, 5952, 5951"
    When ShipStation asks for the export from "2026-03-01T00:00:00Z" to "2026-03-06T00:00:00Z" page 2
    Then InkSoft answers 200 with pages="3" and the orders "5953, 5954, 5956"
    When ShipStation asks for the export from "2026-03-01T00:00:00Z" to "2026-03-06T00:00:00Z" page 3
    Then InkSoft answers 200 with pages="3" and the orders "5957"
    When ShipStation asks for the export from "2026-03-01T00:00:00Z" to "2026-03-06T00:00:00Z" page 4
    Then InkSoft answers 200 with pages="3" and no order
    When ShipStation asks for the export from "2026-03-05T09:00:00Z" to "2026-03-05T11:00:00Z" page 2
    Then InkSoft answers 200 with pages="2" and the orders "5954, 5956"

  @p03
  Scenario: An export that fills its last page exactly has no extra page
    Given InkSoft answers exports with 25 orders per page
    And InkSoft has 100 orders generated with seed 5, all "Ready to Ship" with a shipping address
    When I import orders
    Then the import succeeds
    And the import read 4 pages
    And 100 orders are imported
    And InkSoft was asked for the pages "1, 2, 3, 4"

  @p03 @b32
  Scenario Outline: An empty window answers InkSoft's empty body, or an empty page when switched
    Given InkSoft answers an empty window with <answer>
    When ShipStation asks for the export from "2026-03-01T00:00:00Z" to "2026-03-06T00:00:00Z"
    Then InkSoft answers 200 with <expected>

    Examples:
      | answer             | expected              |
      | the quirk          | an empty body         |
      | a valid empty page | pages="0" and no order |

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

  @p04
  Scenario Outline: Line breaks, tabs and spaces survive; characters XML forbids are dropped
    Given InkSoft has an order "5923" whose <field> reads "<sent>"
    When I import orders
    Then the imported order "5923" has the <field> "<received>"

    Examples:
      | field          | sent                                | received                            |
      | customer notes | Line one[CR][LF]Line two[CR]Line 3  | Line one[CR][LF]Line two[CR]Line 3  |
      | internal notes | Press[TAB]front[TAB][TAB]back[LF]   | Press[TAB]front[TAB][TAB]back[LF]   |
      | gift message   | [SP][SP]Happy birthday, Sam![SP]    | [SP][SP]Happy birthday, Sam![SP]    |
      | customer notes | Bell[VT]ring & <knock>              | Bellring & <knock>                  |

  Rule: InkSoft's side of shipment notices

    Background:
      Given InkSoft has an order "5931" with
        | field         | value      |
        | last_modified | 1 day ago  |
      And InkSoft has an order "5931" with the items
        | line_item_id | sku           | name                         | quantity |
        | 5931-1       | G500-NAVY-L   | Gildan 5000 Heavy Cotton Tee | 2        |
        | 5931-2       | R112-CAP-KHK  | Richardson 112 Trucker Cap   | 1        |

    @p05
    Scenario: A shipment notice retried with the same order, carrier and tracking number is applied once
      When ShipStation sends a shipment notice for order "5931" with carrier "UPS" and tracking number "1Z999AA10123456784"
      And ShipStation sends a shipment notice for order "5931" with carrier "UPS" and tracking number "1Z999AA10123456784"
      Then InkSoft answered 200 to both notices
      And InkSoft has recorded 1 shipment for order "5931"
      And InkSoft received 2 shipment notices for each of the orders "5931"
      And InkSoft shows the order "5931" as "Shipped"

    @p05
    Scenario: Different tracking numbers are different packages
      When ShipStation sends a shipment notice for order "5931" with carrier "UPS" and tracking number "1Z999AA10123456784"
      And ShipStation sends a shipment notice for order "5931" with carrier "UPS" and tracking number "1Z12345E0205271686"
      And ShipStation sends a shipment notice for order "5931" with carrier "Other" and tracking number "1Z999AA10123456784"
      Then InkSoft has recorded 3 shipments for order "5931"

    @p06
    Scenario Outline: A bad shipment notice is refused clearly and changes nothing
      When ShipStation sends a shipment notice <problem>
      Then InkSoft answers <status> with the error code "<code>"
      And InkSoft's message names "<first>" and "<second>"
      And InkSoft has recorded 0 shipments for order "5931"
      And InkSoft shows the order "5931" as "Ready to Ship"

      Examples:
        | problem                                                  | status | code           | first                         | second                      |
        | for the unknown order "7777"                             | 404    | UnknownOrder   | '7777' was not found          | 5931, 2005931               |
        | for the unknown order "5931A"                            | 404    | UnknownOrder   | '5931A' was not found         | 5931, 2005931               |
        | whose body is not well-formed XML                        | 400    | MalformedXml   | is not well-formed XML        | send a <ShipNotice> XML     |
        | whose body declares a DOCTYPE and entity                 | 400    | MalformedXml   | declares a DOCTYPE            | remove the <!DOCTYPE        |
        | whose body is JSON                                       | 400    | MalformedXml   | The body is JSON              | send a <ShipNotice> XML     |
        | whose body lists a second item the order lacks           | 400    | InvalidRequest | Order 5931 has no line 5931-9 | Send only the order's lines |
        | whose body lists a second item with neither line nor SKU | 400    | InvalidRequest | Item 2 of the shipment notice | neither LineItemID nor SKU  |

    @p06 @c02
    Scenario: A notice for another account's order is refused, naming the account that holds it
      Given InkSoft has an account with Publisher ID 20002 and the users
        | username | password    | permissions                      |
        | ops      | s3cret-Pass | Store Fulfillment Administration |
      And the InkSoft account 20002 has the orders
        | order_number | status        |
        | 8801         | Ready to Ship |
      When ShipStation sends a shipment notice for order "8801" with carrier "UPS" and tracking number "1Z999AA10123456784"
      Then InkSoft answers 404 with the error code "UnknownOrder"
      And InkSoft's message names "belongs to another InkSoft account, Publisher ID 20002" and "send its notice to /20002/shipstation with that account's credentials."
      And InkSoft has recorded 0 shipments for order "8801"

    @p06 @c07
    Scenario: A shipment notice over InkSoft's size limit is refused with the limit
      Given InkSoft takes request bodies of at most 2000 bytes
      When ShipStation sends a shipment notice whose body is over 2000 bytes
      Then InkSoft answers 413 with the error code "PayloadTooLarge"
      And InkSoft's message names "over the 2000-byte limit" and "send a smaller body"
      And InkSoft has recorded 0 shipments for order "5931"
      And InkSoft shows the order "5931" as "Ready to Ship"

    @p06
    Scenario: The notice's OrderID finds the order, before its order number
      Given InkSoft has an order "5932" with the items
        | line_item_id | sku         | name            | quantity |
        | 5932-1       | G500-NAVY-L | Gildan 5000 Tee | 1        |
      When ShipStation sends a shipment notice whose OrderID is the ID of order "5932" and whose order number is "5931"
      Then InkSoft answers 200 with an empty body
      And InkSoft shows the order "5932" as "Shipped"
      And InkSoft shows the order "5931" as "Ready to Ship"
      And InkSoft has recorded 0 shipments for order "5931"
      And InkSoft warned about the last shipment notice that "the body's OrderID decides which order ships. Send the same order in both."

    @p06
    Scenario: Without an OrderID, the order number finds the order
      When ShipStation sends a shipment notice without an OrderID for the order number "5931"
      Then InkSoft answers 200 with an empty body
      And InkSoft shows the order "5931" as "Shipped"
      And InkSoft's order "5931" was last modified when its shipment arrived
      And InkSoft did not warn about the last shipment notice

    @p06
    Scenario Outline: Without an OrderID, the query's order number decides; a body naming another order is warned about
      Given InkSoft has an order "5932" with the items
        | line_item_id | sku         | name            | quantity |
        | 5932-1       | G500-NAVY-L | Gildan 5000 Tee | 1        |
      When ShipStation sends a shipment notice without an OrderID whose body names order "<named>" for the order number "5931"
      Then InkSoft answers 200 with an empty body
      And InkSoft shows the order "5931" as "Shipped"
      And InkSoft shows the order "5932" as "Ready to Ship"
      And InkSoft <warning>

      Examples:
        | named | warning                                                                                                                                |
        | 5932  | warned about the last shipment notice that "The query's order_number '5931' and the body's OrderNumber '5932' name different orders" |
        | 5932  | warned about the last shipment notice that "the query's order_number decides which order ships. Send the same order in both."        |
        |       | did not warn about the last shipment notice                                                                                            |

    @p06
    Scenario: An OrderID InkSoft does not know is refused, whatever the order number
      When ShipStation sends a shipment notice whose OrderID is the ID of order "7777" and whose order number is "5931"
      Then InkSoft answers 404 with the error code "UnknownOrder"
      And InkSoft shows the order "5931" as "Ready to Ship"

    @p07
    Scenario: A notice listing some items ships those; the order is Shipped once every item has
      When ShipStation sends a shipment notice for order "5931" with carrier "UPS" and tracking number "1Z999AA10123456784" for the items "5931-1"
      Then InkSoft shows the order "5931" as "Ready to Ship"
      When ShipStation sends a shipment notice for order "5931" with carrier "USPS" and tracking number "9400111899223197428497" for the items "5931-2"
      Then InkSoft shows the order "5931" as "Shipped"
      And InkSoft has recorded 2 shipments for order "5931"
      And InkSoft's order "5931" was last modified when its shipment arrived

    @p07
    Scenario: Items listed by SKU alone ship those lines
      When ShipStation sends a shipment notice for order "5931" with carrier "UPS" and tracking number "1Z999AA10123456784" for the SKUs "R112-CAP-KHK"
      Then InkSoft shows the order "5931" as "Ready to Ship"
      And InkSoft's order "5931" was last modified when its shipment arrived
      When ShipStation sends a shipment notice for order "5931" with carrier "UPS" and tracking number "1Z12345E0205271686" for the SKUs "G500-NAVY-L"
      Then InkSoft shows the order "5931" as "Shipped"
