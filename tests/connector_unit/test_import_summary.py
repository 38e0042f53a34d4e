"""The refresh's summary: its order numbers kept compact, shown as lists."""

from __future__ import annotations

import json

from connector.importer import ImportSummary, OrderNumbers, Skipped


def test_order_numbers_added_page_by_page_are_the_list_of_them():
    numbers = OrderNumbers(["1001", "A, B", "ünï"])
    numbers.extend([])
    numbers.extend(["", "1001", " spaced "])
    expected = ["1001", "A, B", "ünï", "", "1001", " spaced "]
    assert numbers == expected and expected == numbers
    assert len(numbers) == 6 and list(numbers) == expected
    assert numbers[1] == "A, B" and numbers[-1] == " spaced " and numbers[2:4] == ["ünï", ""]
    assert numbers != expected[:-1] and numbers != [*expected[:-1], "other"]
    assert numbers == tuple(expected) and numbers == OrderNumbers(expected)
    assert repr(numbers) == repr(expected)
    assert OrderNumbers() == [] and (OrderNumbers(), OrderNumbers(["7"])) == ([], ["7"])


def test_the_summary_as_a_dict_has_plain_lists():
    summary = ImportSummary(pages=2)
    summary.imported.extend(["1", "2"])
    summary.unchanged.extend(["3"])
    summary.skipped.append(Skipped("4", "invalid", "Order 4 is invalid"))
    assert json.loads(json.dumps(summary.as_dict())) == {
        "imported": ["1", "2"],
        "updated": [],
        "unchanged": ["3"],
        "skipped": [{"order_number": "4", "reason": "invalid", "message": "Order 4 is invalid"}],
        "pages": 2,
        "error": None,
        "ok": True,
    }
