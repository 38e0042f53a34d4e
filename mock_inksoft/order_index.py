"""The indexes over the held orders, as flat integer arrays (8 bytes an entry, no objects).

Every order the state holds has a *slot*: a number given when it is created and kept through
its changes, so slots order the orders by creation. :class:`ExportIndex` keeps an account's
slots in export order (last modified, then order ID) beside their last-modified times, for
bisection; :class:`Listing` keeps the slots of each (account, status) in creation order, so
that a filtered page of the control API or the dashboard is a slice. Both are changed in place
when an order changes (a bisection and an array insert or delete), never rebuilt, and neither
needs the orders themselves: a million generated orders are indexed without being made.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable, Iterable

ExportKey = tuple  # (epoch seconds, 0 numeric / 1 not, the numeric ID or 0, the ID)
KeyOfSlot = Callable[[int], ExportKey]


def export_key(modified: int, order_id: str) -> ExportKey:
    """Sort key of the export: last modified (epoch seconds), then the order ID, numerically
    when it is numeric."""
    numeric = order_id.isdigit()
    return (modified, 0 if numeric else 1, int(order_id) if numeric else 0, order_id)


class ExportIndex:
    """One account's slots in export order, with their last-modified times (epoch seconds)."""

    def __init__(self) -> None:
        self.times = array("q")
        self.slots = array("q")

    def __len__(self) -> int:
        return len(self.slots)

    def window(self, start: int, end: int) -> tuple[int, int]:
        """The positions ``[first, stop)`` of the orders last modified in ``[start, end]``."""
        return bisect.bisect_left(self.times, start), bisect.bisect_right(self.times, end)

    def insert(self, key: ExportKey, slot: int, key_of: KeyOfSlot) -> None:
        """Add one order; orders modified in the same second are ordered by ``key_of``."""
        low, high = self.window(key[0], key[0])
        position = low + bisect.bisect_right([key_of(s) for s in self.slots[low:high]], key)
        self.times.insert(position, key[0])
        self.slots.insert(position, slot)

    def remove(self, modified: int, slot: int) -> None:
        low, high = self.window(modified, modified)
        position = low + self.slots[low:high].index(slot)
        del self.times[position]
        del self.slots[position]

    def merge(self, times: array, slots: array, key_of: KeyOfSlot) -> None:
        """Add orders already in export order (a generated batch): appended when they all
        sort after the held ones, else merged in one pass."""
        if not self.slots or (times and self._before(-1, times[0], slots[0], key_of)):
            self.times.extend(times)
            self.slots.extend(slots)
            return
        merged_times, merged_slots = array("q"), array("q")
        held, given = 0, 0
        while held < len(self.slots) and given < len(slots):
            if self._before(held, times[given], slots[given], key_of):
                merged_times.append(self.times[held])
                merged_slots.append(self.slots[held])
                held += 1
            else:
                merged_times.append(times[given])
                merged_slots.append(slots[given])
                given += 1
        merged_times.extend(self.times[held:] + times[given:])
        merged_slots.extend(self.slots[held:] + slots[given:])
        self.times, self.slots = merged_times, merged_slots

    def _before(self, position: int, time: int, slot: int, key_of: KeyOfSlot) -> bool:
        held_time = self.times[position]
        if held_time != time:
            return held_time < time
        return key_of(self.slots[position]) <= key_of(slot)


class Listing:
    """The slots of every account and status, in creation order: ``(publisher_id, status)``,
    either of them ``None`` for any."""

    def __init__(self) -> None:
        self._slots: dict[tuple[int | None, str | None], array] = {}

    def _keys(self, publisher_id: int, status: str) -> Iterable[tuple[int | None, str | None]]:
        return ((publisher_id, status), (publisher_id, None), (None, status), (None, None))

    def _array(self, key: tuple[int | None, str | None]) -> array:
        found = self._slots.get(key)
        if found is None:
            found = self._slots[key] = array("q")
        return found

    def add(self, slot: int, publisher_id: int, status: str) -> None:
        for key in self._keys(publisher_id, status):
            slots = self._array(key)
            if not slots or slots[-1] < slot:
                slots.append(slot)
            else:
                slots.insert(bisect.bisect_left(slots, slot), slot)

    def remove(self, slot: int, publisher_id: int, status: str) -> None:
        for key in self._keys(publisher_id, status):
            slots = self._slots[key]
            del slots[bisect.bisect_left(slots, slot)]

    def extend(self, first_slot: int, publisher_id: int, statuses: dict[str, array]) -> None:
        """Add a generated batch whose slots start at ``first_slot``; ``statuses`` holds the
        batch's positions of each status, ascending."""
        count = sum(len(positions) for positions in statuses.values())
        every = array("q", range(first_slot, first_slot + count))
        self._array((publisher_id, None)).extend(every)
        self._array((None, None)).extend(every)
        for status, positions in statuses.items():
            slots = array("q", [first_slot + position for position in positions])
            self._array((publisher_id, status)).extend(slots)
            self._array((None, status)).extend(slots)

    def count(self, publisher_id: int | None = None, status: str | None = None) -> int:
        return len(self._slots.get((publisher_id, status), ()))

    def page(self, publisher_id: int | None, status: str | None, offset: int, limit: int) -> array:
        return self._slots.get((publisher_id, status), array("q"))[offset : offset + limit]

    def statuses(self) -> dict[str, int]:
        """How many orders hold each status (every account)."""
        return {
            status: len(slots)
            for (publisher, status), slots in self._slots.items()
            if publisher is None and status is not None and slots
        }
