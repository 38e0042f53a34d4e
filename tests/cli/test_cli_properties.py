"""Property: whatever the arguments and whatever the database file, ``inksoft-connector`` ends
with a documented exit code and never a traceback, its ``--json`` output parses, and the
database file is never made worse.

The CLI runs in-process (``main(argv)``, stdout and stderr captured) so that many examples fit in
a few seconds; the cases one by one (some in a real process) are in ``test_cli_cases.py``. The
store in the database points at a closed port, so that commands which reach InkSoft fail at once.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from connector import Connector
from connector import cli as cli_module
from connector.cli import main
from inksoft_testkit.live import LiveInkSoft

DOCUMENTED_EXIT_CODES = {0, 1, 2, 3, 130}
CLOSED_PORT_URL = "http://127.0.0.1:9"  # the discard port: nothing listens there

WORDS = [
    *("connect", "settings", "import", "orders", "status", "products", "ship", "notify"),
    *("deliver", "--json", "--db", "--store", "--set", "--status", "--all", "--order"),
    *("--retry", "--url", "--username", "--password", "--publisher-id", "--name", "--auth"),
    *("--help", "--notes-to-buyer", "--password-stdin", "-h", "--", "-", "", " ", "x"),
    *("0", "1", "10001", "-5", "awaiting_shipment", "shipped", "basic", "query", "Eagle Prints"),
    *("branding.name=Renamed", "branding.reply_to=Support <help@example.com>", "a=b", "=", "k"),
    *("branding.reply_to=not an address", "email.smtp_port=99999", "import.initial_days=0"),
    *(CLOSED_PORT_URL, f"{CLOSED_PORT_URL}/10001/shipstation", "https://127.0.0.1:9"),
    *("ftp://x", "http://u:p@127.0.0.1:9", "http://127.0.0.1:9/x/shipstation", "1048001"),
]

# Each command's own options, with good and bad values.
OPTIONS: dict[str, list[list[str]]] = {
    "connect": [
        ["--url", url, "--username", "demo", "--publisher-id", pid, "--password-stdin"]
        for url in (CLOSED_PORT_URL, f"{CLOSED_PORT_URL}/10001/shipstation", "ftp://x", "")
        for pid in ("10001", "0", "x")
    ]
    + [["--name", "Eagle Prints"], ["--password", ""]],
    "settings": [
        ["--set", assignment]
        for assignment in (
            "branding.name=Renamed",
            "branding.reply_to=Support <help@example.com>",
            "branding.reply_to=not an address",
            "email.smtp_port=99999",
            "import.initial_days=0",
            "status_mapping.shipped=Open",
            "a=b",
            "=",
        )
    ],
    "import": [],
    "orders": [["--status", "shipped"], ["--status", "awaiting_shipment"], ["--status", "x"]],
    "status": [],
    "products": [],
    "ship": [["--all"], ["--order", "1048001"], ["--order", "x"], ["--notes-to-buyer", "Thx"]],
    "notify": [["--retry"]],
    "deliver": [["1048001"], ["1048002"], ["x"]],
}
STORES = [["--store", "Eagle Prints"], ["--store", "10001"], ["--store", "x"]]
GLOBAL_OPTIONS = [["--json"], ["--auth", "query"], ["--db", "x.db"], ["--db", ""], ["--json"]]

words = st.sampled_from(WORDS)
tokens = st.one_of(words, words, words, st.text(max_size=12))


@st.composite
def well_formed(draw: st.DrawFn) -> list[str]:
    """A command with a few of its own options, global options before and after."""
    command = draw(st.sampled_from(sorted(OPTIONS)))
    own = OPTIONS[command] + ([] if command == "connect" else STORES)
    chosen = draw(st.lists(st.sampled_from(own), max_size=2)) if own else []
    before = draw(st.lists(st.sampled_from(GLOBAL_OPTIONS), max_size=1))
    after = draw(st.lists(st.sampled_from(GLOBAL_OPTIONS), max_size=1))
    return [
        *chain.from_iterable(before),
        command,
        *chain.from_iterable(chosen),
        *chain.from_iterable(after),
    ]


# Mostly well-formed commands (so that they run), some loose words, sometimes anything.
loose = st.builds(
    lambda command, options: [command, *options],
    st.sampled_from(sorted(OPTIONS)),
    st.lists(tokens, max_size=5),
)
arguments = st.one_of(well_formed(), well_formed(), loose, st.lists(tokens, max_size=8))


@pytest.fixture(scope="module")
def real_database(inksoft_server: LiveInkSoft, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a real database: one store, a few imported orders (key: the test's env)."""
    inksoft_server.admin.reset()
    inksoft_server.admin.generate_orders(count=4, seed=3, status="Ready to Ship")
    path = tmp_path_factory.mktemp("real") / "connector.db"
    with Connector(path, env={"INKSOFT_CONNECTOR_KEY": KEY}) as connector:
        connector.connect(inksoft_server.url, "demo", "demo-password", 10001, name="Eagle Prints")
        assert connector.refresh().ok
        connector.db.conn.execute("UPDATE stores SET url = ?", (CLOSED_PORT_URL,))
    return path.read_bytes()


KEY = "x" * 43 + "="  # a valid Fernet key: 32 bytes, urlsafe base64


DAMAGED = ("random", "truncated", "folder", "in_file")

databases = st.one_of(
    st.tuples(st.just("real"), st.none()),
    st.tuples(st.sampled_from(["real", "missing", "empty", "folder", "in_file"]), st.none()),
    st.tuples(st.just("random"), st.binary(min_size=1, max_size=4096)),
    st.tuples(st.just("truncated"), st.floats(0, 1)),
)


def database_content(kind: str, detail: object, real: bytes) -> bytes | None:
    """The bytes at the database path (None: nothing, or not a file)."""
    if kind == "real":
        return real
    if kind == "empty":
        return b""
    if kind == "random":
        assert isinstance(detail, bytes)
        return detail
    if kind == "truncated":
        assert isinstance(detail, float)
        return real[: min(max(int(len(real) * detail), 1), len(real) - 1)]
    return None


@contextlib.contextmanager
def a_workspace(kind: str, content: bytes | None) -> Iterator[tuple[Path, Path]]:
    """A temporary folder as the working directory, with the database file as ``kind`` says."""
    folder = Path(tempfile.mkdtemp(prefix="cli-prop-"))
    db = folder / "data" / "connector.db"
    db.parent.mkdir()
    if kind == "folder":
        db.mkdir()
        (db / "inside.txt").write_text("keep me")
    elif kind == "in_file":
        (folder / "data" / "blocker").write_text("a file, not a folder")
        db = folder / "data" / "blocker" / "connector.db"
    elif content is not None:
        db.write_bytes(content)
    previous = os.getcwd()
    os.chdir(folder)
    try:
        yield folder, db
    finally:
        os.chdir(previous)
        shutil.rmtree(folder)


def snapshot(db: Path) -> object:
    if db.is_dir():
        return sorted((p.name, p.read_bytes()) for p in db.iterdir())
    return db.read_bytes() if db.exists() else None


def run_main(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def quick_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """No retries, no backoff, a password on stdin, a known key, no stray configuration; the
    installed packages' commands looked up and the parser built once for them, as a process
    does once (the examples share one process: these were half of an example's time)."""
    monkeypatch.setattr(cli_module, "Connector", functools.partial(Connector, retries=0))
    monkeypatch.setattr(cli_module, "plugin_commands", functools.cache(cli_module.plugin_commands))
    parser_for = functools.cache(cli_module.build_parser)
    monkeypatch.setattr(cli_module, "build_parser", lambda plugins=(): parser_for(tuple(plugins)))
    monkeypatch.setattr("sys.stdin", io.StringIO("demo-password\n"))
    for name in ("INKSOFT_CONNECTOR_DB", "INKSOFT_PASSWORD", "INKSOFT_CONNECTOR_LOCK_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INKSOFT_CONNECTOR_KEY", KEY)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(database=databases, argv=arguments)
@example(database=("real", None), argv=["--json", "--db", "", "status"])
@example(database=("real", None), argv=["status", "--json", "--", "--json"])
@example(database=("real", None), argv=["--json", "-h"])
def test_the_cli_never_shows_a_traceback(
    quick_cli: None,
    real_database: bytes,
    monkeypatch: pytest.MonkeyPatch,
    database: tuple[str, object],
    argv: list[str],
):
    kind, detail = database
    content = database_content(kind, detail, real_database)
    with a_workspace(kind, content) as (folder, db):
        monkeypatch.setenv("INKSOFT_CONNECTOR_DB", str(db))
        monkeypatch.setenv("XDG_DATA_HOME", str(folder / "xdg"))
        before = snapshot(db)
        code, out, err = run_main(argv)
        after = snapshot(db)
        assert "Traceback" not in out + err
        assert code in DOCUMENTED_EXIT_CODES, err
        options = argv[: argv.index("--")] if "--" in argv else argv
        if "--json" in options:
            json.loads(out)
        if kind in DAMAGED:
            assert after == before, "a damaged database file was changed"
        elif kind == "real" and db.is_file():
            check_still_whole(db)


def check_still_whole(db: Path) -> None:
    with contextlib.closing(sqlite3.connect(db)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT COUNT(*) FROM stores").fetchone()[0] >= 1
