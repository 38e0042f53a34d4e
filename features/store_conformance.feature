@store_conformance
Feature: Store conformance: any Custom Store endpoint, judged on the wire
  What ShipStation needs from a store endpoint, checked with plain HTTP requests only. By
  default these scenarios run against the live mock InkSoft, seeded through its control API.
  With `--store-url` they run against that endpoint instead (a real InkSoft account, a
  WooCommerce or Magento shop): read-only unless `--store-allow-writes`, at a bounded rate, and
  judging whatever orders its export window holds. Each scenario runs probes for the failure
  modes of docs/store-failure-modes.md; a probe passes, fails with the request and an
  excerpt of the answer, or warns where the store's data cannot decide.

  Background:
    Given a store endpoint with orders in its export window

  @p01 @b03
  Scenario: A wrong password is refused with 401 or 403 and a body that says so
    When the store is probed for "wrong credentials not refused"
    Then no probe fails

  @p01
  Scenario: Credentials work as HTTP Basic and as SS-UserName/SS-Password
    When the store is probed for "Authorization header stripped"
    And the store is probed for "only one credential form accepted"
    Then no probe fails

  @p02
  Scenario: The window is read in UTC, to the minute, on the last-modified date
    When the store is probed for "window in the wrong time zone or to the day"
    And the store is probed for "window filtered on the creation date"
    Then no probe fails

  @p02
  Scenario: The window's dates are read in every form ShipStation writes them, never with a 5xx
    When the store is probed for "date parsing too strict"
    Then no probe fails

  @p03
  Scenario: Every page is walked: each order exactly once, pages right, a page past the end empty
    When the store is probed for "paging broken"
    Then no probe fails

  @p03
  Scenario: Each page answers within the time budget
    When the store is probed for "pages too slow"
    Then no probe fails

  @p04
  Scenario: Free text is well-formed XML and never escaped twice
    When the store is probed for "unescaped or double-escaped free text"
    Then no probe fails

  @p04
  Scenario: Free text chosen by the scenario comes back exactly
    Given the store holds an order "7201" whose customer notes are
      """
      Tom & Jerry's <b>"special"</b> order ]]> stays intact, 'quotes' too; &amp; stays &amp;.
      Café, naïve, Zürich, 東京 — emoji 🎽👕🧢
      """
    Then the export carries the customer notes of order "7201" exactly

  @p02
  Scenario: Every answer is XML with an XML content type, with nothing before it
    When the store is probed for "stray output or HTML instead of XML"
    Then no probe fails

  @p02 @c07
  Scenario: Every order is checked against ShipStation's schema on its own
    When the store is probed for "one bad order fails the export"
    Then no probe fails

  @b10
  Scenario: Every status the store sends is one the default mapping covers
    When the store is probed for "statuses the default mapping does not cover"
    Then no probe fails

  @b32
  Scenario: A window without orders gets the empty answer: InkSoft's empty body or an empty <Orders>
    When the store is probed for "the empty answer"
    Then no probe fails

  @p06
  Scenario: A request the protocol refuses gets a 4xx with an <Error> body, never a 5xx
    When the store is probed for "error answers"
    Then no probe fails

  Rule: Shipment notices are writes: sent only with --store-allow-writes, only to the listed orders

    Background:
      Given shipment notices are allowed for two orders of the store

    @p06
    Scenario: A notice finds its order by OrderID and by order number
      When the store is probed for "shipment notice cannot find its order"
      Then no probe fails

    @p06
    Scenario: A minimal notice and the quirks of real notices are answered, never with a 5xx
      When the store is probed for "shipment notice body quirks"
      Then no probe fails

    @p05 @p07
    Scenario: A retried notice is answered once more; a partial one does not complete the order
      When the store is probed for "retried or partial shipment notices"
      Then no probe fails
