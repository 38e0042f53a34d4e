@refresh_window
Feature: The refresh window
  Each refresh asks InkSoft for the orders modified in a window of whole minutes: from the
  last successful refresh, minus the store's safety margin (import.safety_margin_minutes), to
  now rounded up to the minute. The first refresh looks back import.initial_days days. A
  refresh that fails leaves the mark where it was, so the next one reads the missed window
  again and nothing changed in it is lost. The connector's clock is pinned in every scenario,
  so the window InkSoft is asked for is known to the minute.

  Background:
    Given a connected store "Eagle Prints"
    And the connector's clock reads "2026-03-10T12:00:30Z"

  @c01
  Scenario Outline: The first refresh looks back the configured number of days
    Given the store settings are changed
      | setting             | value  |
      | import.initial_days | <days> |
    And InkSoft has the orders
      | order_number | status        | ship_to       | last_modified |
      | 6501         | Ready to Ship | Austin, TX US | <first>       |
      | 6502         | Ready to Ship | Austin, TX US | <too_old>     |
      | 6503         | Ready to Ship | Austin, TX US | <last>        |
      | 6504         | Ready to Ship | Austin, TX US | <too_new>     |
    When I import orders
    Then the import succeeds
    And the refresh asked InkSoft for the orders modified from "<start>" to "03/10/2026 12:01"
    And the orders "6501, 6503" are imported
    And the orders "6502, 6504" are not imported

    Examples:
      | days | start            | first                | too_old              | last                 | too_new              |
      | 7    | 03/03/2026 12:00 | 2026-03-03T12:00:00Z | 2026-03-03T11:59:00Z | 2026-03-10T12:01:00Z | 2026-03-10T12:02:00Z |
      | 45   | 01/24/2026 12:00 | 2026-01-24T12:00:00Z | 2026-01-24T11:59:00Z | 2026-03-10T12:00:30Z | 2026-03-10T12:02:00Z |

  @c01
  Scenario: The window is in UTC whatever the time zone of the connector's clock
    Given the connector's clock reads "2026-03-10T07:00:30-05:00"
    And InkSoft has the orders
      | order_number | status        | ship_to       | last_modified        |
      | 6505         | Ready to Ship | Austin, TX US | 2026-03-10T11:30:00Z |
      | 6506         | Ready to Ship | Austin, TX US | 2026-03-10T12:30:00Z |
    When I import orders
    Then the import succeeds
    And the refresh asked InkSoft for the orders modified from "02/08/2026 12:00" to "03/10/2026 12:01"
    And the orders "6505" are imported
    And the orders "6506" are not imported

  @c01
  Scenario Outline: A later refresh reads from the last successful refresh minus the safety margin
    Given the store settings are changed
      | setting                        | value    |
      | import.safety_margin_minutes   | <margin> |
    And InkSoft has the orders
      | order_number | status        | ship_to       | last_modified        |
      | 6511         | Ready to Ship | Austin, TX US | 2026-03-09T12:00:00Z |
    And I import orders
    And InkSoft has the orders
      | order_number | status        | ship_to       | last_modified |
      | 6512         | Ready to Ship | Austin, TX US | <late>        |
      | 6513         | Ready to Ship | Austin, TX US | <too_early>   |
    When the connector's clock reads "2026-03-10T13:30:10Z"
    And I import orders
    Then the import succeeds
    And the refresh asked InkSoft for the orders modified from "<start>" to "03/10/2026 13:31"
    And the orders "6511, 6512" are imported
    And the orders "6513" are not imported

    Examples:
      | margin | start            | late                 | too_early            |
      | 10     | 03/10/2026 11:50 | 2026-03-10T11:50:00Z | 2026-03-10T11:49:00Z |
      | 25     | 03/10/2026 11:35 | 2026-03-10T11:35:00Z | 2026-03-10T11:34:00Z |
      | 0      | 03/10/2026 12:00 | 2026-03-10T12:00:00Z | 2026-03-10T11:59:00Z |

  @c01
  Scenario Outline: A failed refresh does not move the mark, so the missed window is read again
    Given InkSoft has the orders
      | order_number | status        | ship_to       | last_modified        |
      | 6521         | Ready to Ship | Austin, TX US | 2026-03-09T12:00:00Z |
    And I import orders
    And InkSoft has the orders
      | order_number | status        | ship_to       | last_modified        |
      | 6522         | Ready to Ship | Austin, TX US | 2026-03-10T12:45:00Z |
    And InkSoft's exports keep answering <fault>
    When the connector's clock reads "2026-03-10T13:30:00Z"
    And I import orders
    Then the refresh fails with a store error containing "<cause>"
    And the orders "6522" are not imported
    When InkSoft answers normally again
    And the connector's clock reads "2026-03-10T15:00:00Z"
    And I import orders
    Then the import succeeds
    And the refresh asked InkSoft for the orders modified from "03/10/2026 11:50" to "03/10/2026 15:00"
    And the orders "6521, 6522" are imported

    Examples:
      | fault                   | cause        |
      | 500                     | 500          |
      | with a connection reset | connection   |
      | with malformed XML      | Error in XML |

  @c01
  Scenario: After a failed first refresh, the next one still looks back import.initial_days
    Given the store settings are changed
      | setting             | value |
      | import.initial_days | 7     |
    And InkSoft has the orders
      | order_number | status        | ship_to       | last_modified        |
      | 6541         | Ready to Ship | Austin, TX US | 2026-03-04T09:00:00Z |
    And InkSoft's exports keep answering 500
    And I import orders
    When InkSoft answers normally again
    And the connector's clock reads "2026-03-10T13:00:00Z"
    And I import orders
    Then the import succeeds
    And the refresh asked InkSoft for the orders modified from "03/03/2026 13:00" to "03/10/2026 13:00"
    And the orders "6541" are imported

  @c01
  Scenario: A refresh that finds no order fails without moving the mark
    Given InkSoft has the orders
      | order_number | status        | ship_to       | last_modified        |
      | 6531         | Ready to Ship | Austin, TX US | 2026-03-09T12:00:00Z |
    And I import orders
    When the connector's clock reads "2026-03-10T13:30:00Z"
    And I import orders
    Then the refresh fails with a store error containing "Error in XML"
    When the connector's clock reads "2026-03-10T14:00:00Z"
    And I import orders
    Then the refresh asked InkSoft for the orders modified from "03/10/2026 11:50" to "03/10/2026 14:00"
