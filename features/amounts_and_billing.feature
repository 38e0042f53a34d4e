@amounts_and_billing
Feature: Order amounts and the billing contact
  Each order's total, tax and shipping amounts travel as dollars and cents and are imported
  exactly, to the cent: never rounded, truncated, swapped or read as floating-point noise. An
  amount the export leaves out is imported as 0.00, and an amount of 0.00 is written out, not
  left out. The billing contact (who pays: name, company, phone, e-mail) is imported apart from
  the shipping address (where the parcel goes), and neither fills the other's gaps.

  Background:
    Given a connected store "Eagle Prints"
    And InkSoft has orders with the amounts
      | order | total   | tax    | shipping |
      | 6801  | 19.99   | 0.10   | 5.05     |
      | 6802  | 1234.05 | 0.00   | 0.99     |
      | 6803  | 7.30    | (none) | (none)   |
      | 6804  | 100.01  | 8.29   | 12.34    |
      | 6805  | 0.29    | 0.57   | 0.00     |

  @c03
  Scenario: Total, tax and shipping are imported to the cent
    When I import orders
    Then the import succeeds
    And the orders are imported with the amounts
      | order | total   | tax  | shipping |
      | 6801  | 19.99   | 0.10 | 5.05     |
      | 6802  | 1234.05 | 0.00 | 0.99     |
      | 6803  | 7.30    | 0.00 | 0.00     |
      | 6804  | 100.01  | 8.29 | 12.34    |
      | 6805  | 0.29    | 0.57 | 0.00     |

  @c03
  Scenario: The export writes each amount with its cents, and leaves out only what is absent
    When ShipStation asks for an export with the credentials "demo" / "demo-password" as HTTP Basic
    Then the export lists the amounts
      | order | total   | tax    | shipping |
      | 6801  | 19.99   | 0.10   | 5.05     |
      | 6802  | 1234.05 | 0.00   | 0.99     |
      | 6803  | 7.30    | (none) | (none)   |
      | 6804  | 100.01  | 8.29   | 12.34    |
      | 6805  | 0.29    | 0.57   | 0.00     |
    And InkSoft shows the orders with the amounts
      | order | total   | tax    | shipping |
      | 6801  | 19.99   | 0.10   | 5.05     |
      | 6802  | 1234.05 | 0.00   | 0.99     |
      | 6803  | 7.30    | (none) | (none)   |
      | 6804  | 100.01  | 8.29   | 12.34    |
      | 6805  | 0.29    | 0.57   | 0.00     |

  @c04
  Scenario: The billing contact is imported apart from the shipping address
    Given InkSoft has an order "6901" with the contacts
      | part    | billing                  | shipping               |
      | name    | Dana Whitfield           | Coach Luis Rivera      |
      | company | Eagle Boosters Club      | Lincoln High Athletics |
      | phone   | 555-010-2000             | 555-020-3000           |
      | e-mail  | ap@eagleboosters.example | -                      |
      | street  | -                        | 400 Stadium Dr         |
      | city    | -                        | Omaha                  |
      | state   | -                        | NE                     |
      | ZIP     | -                        | 68102                  |
      | country | -                        | US                     |
    When I import orders
    Then the imported order "6901" has the contacts
      | part    | billing                  | shipping               |
      | name    | Dana Whitfield           | Coach Luis Rivera      |
      | company | Eagle Boosters Club      | Lincoln High Athletics |
      | phone   | 555-010-2000             | 555-020-3000           |
      | e-mail  | ap@eagleboosters.example | -                      |
      | street  | -                        | 400 Stadium Dr         |
      | city    | -                        | Omaha                  |
      | state   | -                        | NE                     |
      | ZIP     | -                        | 68102                  |
      | country | -                        | US                     |

  @c04
  Scenario Outline: Neither the billing contact nor the ship-to fills the other's gaps
    Given InkSoft has an order "6902" with the contacts
      | part    | billing           | shipping           |
      | name    | Dana Whitfield    | Coach Luis Rivera  |
      | company | <bill_company>    | <ship_company>     |
      | phone   | <bill_phone>      | <ship_phone>       |
      | e-mail  | <bill_email>      | -                  |
    When I import orders
    Then the imported order "6902" has the contacts
      | part    | billing           | shipping           |
      | name    | Dana Whitfield    | Coach Luis Rivera  |
      | company | <bill_company>    | <ship_company>     |
      | phone   | <bill_phone>      | <ship_phone>       |
      | e-mail  | <bill_email>      | -                  |

    Examples:
      | bill_company        | ship_company           | bill_phone   | ship_phone   | bill_email               |
      | (none)              | Lincoln High Athletics | (none)       | 555-020-3000 | ap@eagleboosters.example |
      | Eagle Boosters Club | (none)                 | 555-010-2000 | (none)       | (none)                   |
