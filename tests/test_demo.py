"""``inksoft-connector demo`` runs the whole integration on embedded defaults."""

from __future__ import annotations

import re

from connector.cli import main


def figure(output: str, label: str) -> int:
    return int(re.search(rf"^{label}\s+(\d+)\s*$", output, re.M)[1])


def test_the_demo_imports_ships_updates_and_emails(tmp_path, capsys):
    assert main(["demo", "--orders", "12", "--seed", "3", "--dir", str(tmp_path)]) == 0
    output = capsys.readouterr().out

    labels = figure(output, "labels created")
    assert labels > 0
    assert figure(output, "updates accepted by InkSoft") == labels
    assert figure(output, "customer e-mails written") == labels
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == labels
    assert figure(output, "orders imported") + figure(output, "orders skipped") == 12
    assert (tmp_path / "connector.db").is_file()
