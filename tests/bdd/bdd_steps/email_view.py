"""What a customer sees in an e-mail, read from its plain-text part and from its HTML part.

Each reader returns the same shape from either part (the details by their label, the items as
rows, the ship-to lines, the note to the buyer), so that a Then compares both parts with what
the scenario wrote, and a detail missing from one part fails as surely as a wrong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from html.parser import HTMLParser

ITEM_COLUMNS = ("quantity", "item", "design", "colour", "size")


def text_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, "the e-mail has no plain-text part"
    return part.get_content().replace("\r\n", "\n")  # the wire's line ends


def html_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None, "the e-mail has no HTML part"
    return part.get_content().replace("\r\n", "\n")


@dataclass
class EmailView:
    """One part of an e-mail as the customer reads it."""

    details: dict[str, str] = field(default_factory=dict)  # "Carrier" -> "USPS", …
    links: dict[str, str] = field(default_factory=dict)  # the text of a link -> its address
    items: list[dict[str, str]] = field(default_factory=list)
    ship_to: list[str] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # "A note from Eagle Prints" -> text
    text: str = ""  # everything visible, whitespace collapsed


# --- The plain-text part ---------------------------------------------------------------------

_DETAIL = re.compile(r"^(Carrier|Service|Tracking number|Track your package): (.*)$")
_ITEM = re.compile(r"^- (\S+) × (.+)$")
_OPTION = re.compile(r"^ {4}(Design|Colour|Size): (.*)$")


def read_text(message: EmailMessage) -> EmailView:
    body = text_part(message)
    view = EmailView(text=" ".join(body.split()))
    lines = body.splitlines()
    for line in lines:
        if match := _DETAIL.match(line):
            view.details[match[1]] = match[2]
    link = view.details.pop("Track your package", None)
    view.links = {} if link is None else {"Track your package": link}
    for section, block in _sections(lines).items():
        if section == "Items":
            view.items = _text_items(block)
        elif section == "Shipping to":
            view.ship_to = block
        elif section.startswith("A note from ") and section.endswith(":"):
            view.notes[section[:-1]] = "\n".join(block)
    return view


def _sections(lines: list[str]) -> dict[str, list[str]]:
    """Each block after a blank line, by its first line (its heading)."""
    sections: dict[str, list[str]] = {}
    block: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            block.append(line)
        elif block:
            sections.setdefault(block[0], block[1:])
            block = []
    return sections


def _text_items(block: list[str]) -> list[dict[str, str]]:
    items: list[dict[str, str]] = []
    for line in block:
        if match := _ITEM.match(line):
            items.append(dict.fromkeys(ITEM_COLUMNS, "") | {"quantity": match[1], "item": match[2]})
        elif (match := _OPTION.match(line)) and items:
            items[-1][match[1].lower()] = match[2]
        else:
            raise AssertionError(f"an item line the customer cannot read: {line!r}")
    return items


# --- The HTML part ---------------------------------------------------------------------------


class _Reader(HTMLParser):
    """Table rows (cell texts), links, headings and the paragraph after each heading."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.links: dict[str, str] = {}
        self.after_heading: dict[str, list[str]] = {}
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._href: str | None = None
        self._link_text: list[str] = []
        self._heading: list[str] | None = None
        self._last_heading: str | None = None
        self._paragraph: list[list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "a":
            self._href, self._link_text = dict(attrs).get("href"), []
        elif tag in ("h1", "h2"):
            self._heading = []
        elif tag == "p" and self._last_heading is not None:
            self._paragraph = [[]]
        elif tag == "br" and self._paragraph is not None:
            self._paragraph.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "a" and self._href is not None:
            self.links[" ".join("".join(self._link_text).split())] = self._href
            self._href = None
        elif tag in ("h1", "h2") and self._heading is not None:
            self._last_heading = " ".join("".join(self._heading).split())
            self._heading = None
        elif tag == "p" and self._paragraph is not None and self._last_heading is not None:
            lines = ["".join(parts) for parts in self._paragraph]
            self.after_heading.setdefault(self._last_heading, lines)
            self._paragraph, self._last_heading = None, None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for sink in (self._cell, self._heading, self._link_text if self._href else None):
            if sink is not None:
                sink.append(data)
        if self._paragraph is not None:
            self._paragraph[-1].append(data)


def read_html(message: EmailMessage) -> EmailView:
    reader = _Reader()
    reader.feed(html_part(message))
    reader.close()
    view = EmailView(links=reader.links, text=" ".join(" ".join(reader.text).split()))
    header = ["Item", "Design", "Colour", "Size", "Quantity"]
    in_items = False
    for row in reader.rows:
        if row == header:
            in_items = True
        elif in_items and len(row) == len(header):
            columns = ("item", "design", "colour", "size", "quantity")
            view.items.append(dict(zip(columns, row, strict=True)))
        elif len(row) == 2:
            view.details[row[0]] = row[1]
    view.ship_to = [line.strip() for line in reader.after_heading.get("Shipping to", [])]
    for heading, lines in reader.after_heading.items():
        if heading.startswith("A note from "):
            view.notes[heading] = "\n".join(lines).strip("\n")
    return view


def both_parts(message: EmailMessage) -> dict[str, EmailView]:
    return {"text": read_text(message), "HTML": read_html(message)}
