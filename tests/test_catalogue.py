"""The behaviour catalogue and the feature files agree: every ID specified, no unknown ID."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FEATURES = ROOT / "features"
SHARED_SPEC = ROOT.parent / "shared" / "spec"
PROTOCOL_COPY = ROOT / "fixtures" / "protocol.md"  # what the tests read
ID_ROW = re.compile(r"^\| ([BCP]\d{2}) \|", re.M)
ID_TAG = re.compile(r"@([bcp]\d+)\b", re.I)  # @B09 is b09


def catalogue(path: Path) -> set[str]:
    return {m.lower() for m in ID_ROW.findall(path.read_text(encoding="utf-8"))}


def tags_in_features() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for feature in FEATURES.glob("*.feature"):
        for tag in ID_TAG.findall(feature.read_text(encoding="utf-8")):
            found.setdefault(tag.lower(), set()).add(feature.name)
    return found


def test_the_catalogue_lists_b01_to_b33_c01_to_c07_and_p01_to_p07():
    expected = (
        {f"b{n:02d}" for n in range(1, 34)}
        | {f"c{n:02d}" for n in range(1, 8)}
        | {f"p{n:02d}" for n in range(1, 8)}
    )
    assert catalogue(FEATURES / "behaviours.md") == expected


def shared(name: str) -> Path:
    """A file of the shared specification, which lives beside the checkout (not in a clone)."""
    path = SHARED_SPEC / name
    if not path.exists():
        pytest.skip(f"{path} is not beside this checkout: only the project's copy is checked")
    return path


def test_the_catalogue_lists_the_shared_specifications_ids():
    assert catalogue(FEATURES / "behaviours.md") == catalogue(shared("behaviours.md"))


def test_the_protocol_copy_is_the_shared_specifications():
    assert PROTOCOL_COPY.read_text(encoding="utf-8") == shared("protocol.md").read_text(
        encoding="utf-8"
    )


def test_every_behaviour_has_a_tagged_scenario():
    untagged = catalogue(FEATURES / "behaviours.md") - set(tags_in_features())
    assert not untagged, f"behaviours with no scenario: {sorted(untagged)}"


def test_no_scenario_carries_an_unknown_behaviour_id():
    unknown = set(tags_in_features()) - catalogue(FEATURES / "behaviours.md")
    assert not unknown, f"unknown IDs in feature files: {sorted(unknown)}"


SCENARIO_KEYWORDS = ("Scenario", "Scenario Outline", "Example")


def untagged_scenarios(feature: Path) -> list[str]:
    """The scenarios of ``feature`` that carry no behaviour ID (their own, their rule's or the
    feature's tags)."""
    found, pending, inherited = [], set(), {"Feature": set(), "Rule": set()}
    for line in feature.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if text.startswith("@"):
            pending |= set(ID_TAG.findall(text))
            continue
        keyword = text.split(":", 1)[0]
        if keyword in ("Feature", "Rule"):
            inherited[keyword] = pending
            if keyword == "Feature":
                inherited["Rule"] = set()
        elif (
            keyword in SCENARIO_KEYWORDS and not pending | inherited["Feature"] | inherited["Rule"]
        ):
            found.append(f"{feature.name}: {text}")
        if text and not text.startswith("#"):
            pending = set()
    return found


def test_every_scenario_carries_a_behaviour_id():
    untagged = [
        s for feature in sorted(FEATURES.glob("*.feature")) for s in untagged_scenarios(feature)
    ]
    assert not untagged, "scenarios without a behaviour ID:\n" + "\n".join(untagged)
