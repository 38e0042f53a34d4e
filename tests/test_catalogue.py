"""The behaviour catalogue and the feature files agree: every ID specified, no unknown ID."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FEATURES = ROOT / "features"
SHARED_SPEC = ROOT.parent / "shared" / "spec" / "behaviours.md"
ID_ROW = re.compile(r"^\| ([BP]\d{2}) \|", re.M)
ID_TAG = re.compile(r"@([bp]\d+)\b")


def catalogue(path: Path) -> set[str]:
    return {m.lower() for m in ID_ROW.findall(path.read_text(encoding="utf-8"))}


def tags_in_features() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for feature in FEATURES.glob("*.feature"):
        for tag in ID_TAG.findall(feature.read_text(encoding="utf-8")):
            found.setdefault(tag, set()).add(feature.name)
    return found


def test_the_catalogue_lists_b01_to_b33_and_p01_to_p07():
    expected = {f"b{n:02d}" for n in range(1, 34)} | {f"p{n:02d}" for n in range(1, 8)}
    assert catalogue(FEATURES / "behaviours.md") == expected


def test_the_catalogue_matches_the_shared_specification():
    if not SHARED_SPEC.exists():  # the spec lives beside the checkout; the copy is checked above
        return
    assert catalogue(FEATURES / "behaviours.md") == catalogue(SHARED_SPEC)


def test_every_behaviour_has_a_tagged_scenario():
    untagged = catalogue(FEATURES / "behaviours.md") - set(tags_in_features())
    assert not untagged, f"behaviours with no scenario: {sorted(untagged)}"


def test_no_scenario_carries_an_unknown_behaviour_id():
    unknown = set(tags_in_features()) - catalogue(FEATURES / "behaviours.md")
    assert not unknown, f"unknown IDs in feature files: {sorted(unknown)}"
