"""Issue 20's cases over ``inksoft-connector``: each one ends in a message that names the file
or resource and what to do, with its documented exit code, never in a traceback; ``--json``
output parses.

The command runs in process (``main(argv)``, see ``cli_helpers.Run``) unless the process itself
is what is tested: the installed command run as another user, two commands at once, a pipe whose
reader goes, the password prompt on a terminal."""

from __future__ import annotations

import functools
import json
import os
import pty
import socket
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from cli_helpers import INSTALLED_COMMAND, PYTHON, Run, private_folder_above, read_only

from connector import Connector
from connector import cli as cli_module
from inksoft_testkit.live import LiveInkSoft

XML_ERROR = "Error updating store: An error occurred attempting to update orders: Error in XML."


@pytest.fixture
def cli(tmp_path: Path) -> Run:
    """``cli(*argv)``: the command line on ``tmp_path/connector.db`` (or ``--db`` given)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INKSOFT_")}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    env["INKSOFT_CONNECTOR_DB"] = str(tmp_path / "connector.db")
    env["INKSOFT_CONNECTOR_BACKOFF"] = "0"  # retries at once: the tests count them, not wait
    return Run(env)


@pytest.fixture
def connected(inksoft: LiveInkSoft, tmp_path: Path) -> Path:
    """The database, with the mock's default account connected as "Eagle Prints"."""
    db = tmp_path / "connector.db"
    with Connector(db, env={}) as connector:
        connector.connect(inksoft.url, "demo", "demo-password", 10001, name="Eagle Prints")
    return db


def ready_orders(inksoft: LiveInkSoft, count: int, **fixed: str) -> None:
    inksoft.admin.generate_orders(count=count, seed=7, status="Ready to Ship", **fixed)


def awaiting_shipment(cli: Run) -> list[str]:
    listed = cli("orders", "--status", "awaiting_shipment", "--json")
    return sorted(order["order_number"] for order in json.loads(listed.stdout))


# --- Local storage: exit 3, the file named, the bytes untouched -------------------------------


@pytest.mark.parametrize("command", [["status"], ["orders"], ["settings", "--set", "a.b=c"]])
def test_a_file_that_is_not_sqlite_is_named_and_left_alone(cli: Run, tmp_path: Path, command):
    db = tmp_path / "notes.db"
    db.write_bytes(b"shopping list: ink, shirts\n" * 40)
    done = cli("--db", str(db), "--json", *command)
    assert done.returncode == 3
    error = json.loads(done.stdout)["error"]
    assert (error["kind"], error["path"]) == ("corrupt_database", str(db))
    assert f"{db} is not an SQLite database" in done.stderr
    assert "Restore it from a backup, or choose another path with --db" in done.stderr
    assert db.read_bytes() == b"shopping list: ink, shirts\n" * 40


def test_a_truncated_database_is_refused_before_sqlite_touches_it(
    cli: Run, connected: Path, tmp_path: Path
):
    whole = connected.read_bytes()
    cut = tmp_path / "cut.db"
    cut.write_bytes(whole[: len(whole) // 2])
    for command in (["status"], ["import"]):
        done = cli("--db", str(cut), *command)
        assert done.returncode == 3
        assert f"{cut} is truncated: it has {len(whole) // 2} bytes" in done.stderr
        assert cut.read_bytes() == whole[: len(whole) // 2]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("cut")) == ["cut.db"]


def test_a_folder_as_the_database(cli: Run, tmp_path: Path):
    done = cli("--db", str(tmp_path), "orders", "--json")
    assert done.returncode == 3
    assert json.loads(done.stdout)["error"]["kind"] == "not_a_file"
    assert f"{tmp_path} is a folder, not a database file" in done.stderr


def test_a_path_through_a_file(cli: Run, tmp_path: Path):
    (tmp_path / "plain").write_text("x")
    done = cli("--db", str(tmp_path / "plain" / "connector.db"), "status")
    assert done.returncode == 3
    assert f"{tmp_path / 'plain'} is a file, not a folder" in done.stderr


@pytest.mark.slow
def test_a_read_only_database(cli: Run, connected: Path):
    before = connected.read_bytes()
    with read_only(connected):
        done = cli("settings", "--set", "branding.name=Renamed", "--json")
    assert done.returncode == 3
    error = json.loads(done.stdout)["error"]
    assert error["kind"] in ("read_only", "permission")
    assert str(connected) in error["message"] and "Fix the permissions" in error["message"]
    assert connected.read_bytes() == before


@pytest.mark.slow
def test_a_read_only_folder(cli: Run, connected: Path):
    with read_only(connected.parent):
        reading = cli("orders")
        writing = cli("import")
    for done in (reading, writing):
        assert done.returncode == 3
        assert "cannot be opened" in done.stderr and "Fix the permissions" in done.stderr


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0, reason="switching user needs root; see read_only()")
def test_a_folder_the_user_cannot_write(cli: Run, tmp_path: Path):
    """As root, file modes are not enforced: the command runs as nobody instead."""
    if private := private_folder_above(Path(INSTALLED_COMMAND)):
        pytest.skip(f"nobody cannot reach {INSTALLED_COMMAND}: {private} is private")
    folder = tmp_path / "root-only"
    folder.mkdir(mode=0o755)
    tmp_path.chmod(0o755)
    done = cli.process("--db", str(folder / "connector.db"), "status", as_nobody=True)
    assert done.returncode == 3
    assert str(folder / "connector.db") in done.stderr
    assert "permission" in done.stderr.lower()


# --- Concurrency ------------------------------------------------------------------------------


@pytest.mark.slow
def test_two_ship_all_at_once_double_nothing(cli: Run, connected: Path, inksoft: LiveInkSoft):
    ready_orders(inksoft, 12)
    assert cli("import").returncode == 0
    awaiting = awaiting_shipment(cli)
    assert len(awaiting) > 6
    first, second = (cli.start("ship", "--all", "--json") for _ in range(2))
    outcomes = [cli.finish(process) for process in (first, second)]
    assert sorted(done.returncode for done in outcomes) in ([0, 0], [0, 3])
    shipped = [
        result["order_number"]
        for done in outcomes
        if done.returncode == 0
        for result in json.loads(done.stdout)
        if result["ok"]
    ]
    assert sorted(shipped) == awaiting
    with sqlite3.connect(connected) as db:
        labels = db.execute("SELECT COUNT(DISTINCT order_pk), COUNT(*) FROM shipments")
        assert labels.fetchone() == (len(awaiting), len(awaiting))
    assert len(inksoft.admin.shipments()) == len(awaiting)


def test_a_writing_command_says_another_one_is_running(cli: Run, connected: Path):
    holder = sqlite3.connect(connected.with_name("connector.db.lock"), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        cli.env["INKSOFT_CONNECTOR_LOCK_TIMEOUT"] = "0.05"
        done = cli("ship", "--all", "--json")
        reading = cli("status")
    finally:
        holder.close()
    assert done.returncode == 3
    assert json.loads(done.stdout)["error"]["kind"] == "busy"
    assert "Another inksoft-connector command is writing to" in done.stderr
    assert "waited 0.05 s" in done.stderr
    assert reading.returncode == 0  # reading needs no lock


# --- Output -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_reader_that_stops_early_is_no_error(cli: Run, connected: Path, inksoft: LiveInkSoft):
    ready_orders(inksoft, 3)
    assert cli("import").returncode == 0
    process = cli.start("orders", stdout=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before the first line: `orders | head -0`
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0
    assert err == ""


@pytest.mark.slow
def test_head_reads_the_first_line(connected: Path, inksoft: LiveInkSoft, cli: Run):
    ready_orders(inksoft, 3)
    assert cli("import").returncode == 0
    orders = cli.start("orders")  # orders | head -1, without a shell
    head = subprocess.run(
        ["head", "-1"], stdin=orders.stdout, capture_output=True, text=True, check=True
    )
    orders.stdout.close()
    done = cli.finish(orders)
    assert head.stdout.startswith("ORDER ")
    assert (done.returncode, done.stderr) == (0, "")


def test_global_options_go_anywhere(cli: Run, connected: Path):
    before, after = cli("--json", "status"), cli("status", "--json")
    assert before.returncode == after.returncode == 0
    assert json.loads(before.stdout) == json.loads(after.stdout)
    assert cli("-v", "--db", str(connected), "status").returncode == 0


def test_an_empty_database_path_is_refused(cli: Run, tmp_path: Path):
    done = cli("--db", "", "status", "--json")
    assert done.returncode == 2
    assert "the database path is empty" in json.loads(done.stdout)["error"]["message"]
    assert not (tmp_path / "xdg").exists()


def test_a_usage_error_is_json_under_json(cli: Run):
    done = cli("--json", "ship")
    assert done.returncode == 2
    assert json.loads(done.stdout) == {
        "ok": False,
        "error": {
            "kind": "usage",
            "message": "one of the arguments --order --all is required "
            "(see inksoft-connector ship --help).",
        },
    }


# --- Connecting -------------------------------------------------------------------------------


def test_the_endpoint_url_as_the_mock_prints_it(cli: Run, inksoft: LiveInkSoft):
    endpoint = inksoft.endpoint(10001)
    done = cli(
        *("connect", "--url", endpoint, "--username", "demo", "--publisher-id", "10001"),
        input="demo-password\n",
        extra=("--password-stdin", "--json"),
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["url"] == inksoft.url


def test_an_endpoint_url_for_another_publisher_is_explained(cli: Run, inksoft: LiveInkSoft):
    done = cli(
        *("connect", "--url", inksoft.endpoint(10001), "--username", "demo"),
        *("--publisher-id", "20002", "--password", "demo-password"),
    )
    assert done.returncode == 2
    assert "is the endpoint of Publisher ID 10001, but the Publisher ID given is 20002" in (
        done.stderr
    )


@pytest.fixture
def speaks_no_http() -> Iterator[int]:
    """A port that answers every connection with an SSH banner."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")

    threading.Thread(target=serve, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()


def connect_to(cli: Run, url: str) -> subprocess.CompletedProcess[str]:
    return cli(
        *("connect", "--url", url, "--username", "demo", "--publisher-id", "10001"),
        *("--password", "demo-password", "--json"),
    )


def test_https_to_the_plain_http_mock(
    cli: Run, inksoft: LiveInkSoft, monkeypatch: pytest.MonkeyPatch
):
    """The plain HTTP server waits for the end of a request line that a TLS hello never sends:
    the handshake gets no answer until the connect timeout (5 s by default; 0.05 s here, since
    the wait is the point, not its length) ends it."""
    monkeypatch.setattr(cli_module, "Connector", functools.partial(Connector, timeout=(0.05, 30)))
    done = connect_to(cli, inksoft.url.replace("http://", "https://"))
    assert done.returncode == 2
    assert "TLS handshake" in done.stderr
    assert "got no answer within 0.05 s" in done.stderr
    assert "http:// rather than https://?" in done.stderr
    assert "retrying" not in done.stderr  # once: a retry cannot help
    assert json.loads(done.stdout)["error"]["kind"] == "refused"


def test_a_port_that_does_not_speak_http(cli: Run, speaks_no_http: int):
    done = connect_to(cli, f"http://127.0.0.1:{speaks_no_http}")
    assert done.returncode == 2
    assert "does not speak HTTP (it answered 'SSH-2.0-OpenSSH_9.6')" in done.stderr
    assert "check the URL's port" in done.stderr
    tls = connect_to(cli, f"https://127.0.0.1:{speaks_no_http}")
    assert "does not speak TLS on that port" in tls.stderr


def test_a_refused_connection_and_an_unknown_host(cli: Run):
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]
    refused = connect_to(cli, f"http://127.0.0.1:{port}")
    assert refused.returncode == 2
    assert "the connection was refused (nothing listens on that port)" in refused.stderr
    unknown = connect_to(cli, "http://no-such-host.invalid")
    assert unknown.returncode == 2
    assert "the host name could not be resolved (DNS); check the URL's host name" in (
        unknown.stderr
    )


@pytest.mark.slow
def test_the_password_prompt_on_a_terminal_does_not_echo(cli: Run, inksoft: LiveInkSoft):
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [
            *(PYTHON, "-m", "connector", "connect", "--url", inksoft.url),
            *("--username", "demo", "--publisher-id", "10001", "--password-stdin"),
        ],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=cli.env,
        start_new_session=True,  # no controlling terminal: getpass uses stdin, the pty
    )
    os.close(terminal)
    seen = read_until(controller, b"InkSoft password: ")
    os.write(controller, b"demo-password\n")
    seen += read_until(controller, None)
    os.close(controller)
    assert process.wait(timeout=60) == 0
    assert b"Connected store 'InkSoft 10001'" in seen
    assert b"demo-password" not in seen


def read_until(descriptor: int, wanted: bytes | None) -> bytes:
    """What the terminal shows until ``wanted`` (None: until the program has gone)."""
    seen = b""
    while wanted is None or wanted not in seen:
        try:
            chunk = os.read(descriptor, 1024)
        except OSError:  # EIO: the other side of the terminal is closed
            chunk = b""
        if not chunk:
            assert wanted is None, f"the terminal closed; it showed {seen!r}"
            return seen
        seen += chunk
    return seen


# --- Importing and the empty queue ------------------------------------------------------------


def test_the_empty_queue_error_and_unchanged_orders(
    cli: Run, connected: Path, inksoft: LiveInkSoft
):
    a_minute_ago = datetime.now(timezone.utc) - timedelta(minutes=1)
    ready_orders(inksoft, 2, last_modified=a_minute_ago.strftime("%Y-%m-%dT%H:%M:%SZ"))
    first = cli("import", "--json")
    assert (first.returncode, len(json.loads(first.stdout)["imported"])) == (0, 2)
    again = cli("import", "--json")  # the window reaches back past the last refresh
    summary = json.loads(again.stdout)
    assert (summary["updated"], len(summary["unchanged"])) == ([], 2)
    inksoft.admin.reset()
    with Connector(connected, env={}) as connector:
        connector.connect(inksoft.url, "demo", "demo-password", 10001)
    empty = cli("import")
    assert empty.returncode == 1
    first_line, second_line = empty.stderr.splitlines()
    assert first_line == XML_ERROR
    assert "InkSoft says it has no pending orders" in second_line
    assert "clears itself at the next refresh that finds orders" in second_line


# --- Settings and e-mail ----------------------------------------------------------------------


def test_a_reply_to_with_a_name_reaches_the_email(cli: Run, connected: Path, inksoft: LiveInkSoft):
    done = cli("settings", "--set", "branding.reply_to=Support <support@example.com>")
    assert done.returncode == 0
    ready_orders(inksoft, 1)
    assert cli("import").returncode == 0
    shipped = cli("ship", "--all", "--json")
    assert shipped.returncode == 0, shipped.stderr
    [result] = json.loads(shipped.stdout)
    assert result["emailed"] is True
    [eml] = (connected.parent / "outbox").glob("*.eml")
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert str(message["Reply-To"]) == "Support <support@example.com>"


def test_a_reply_to_that_no_email_could_use_is_refused(cli: Run, connected: Path):
    done = cli("settings", "--set", "branding.reply_to=Support support@example.com")
    assert done.returncode == 2
    assert "branding.reply_to must be an e-mail address" in done.stderr


def test_a_setting_that_breaks_every_email_fails_ship(
    cli: Run, connected: Path, inksoft: LiveInkSoft
):
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]
    assignments = ["email.transport=smtp", "email.smtp_host=127.0.0.1", f"email.smtp_port={port}"]
    assert cli("settings", *(f"--set={a}" for a in assignments)).returncode == 0
    ready_orders(inksoft, 2)
    assert cli("import").returncode == 0
    done = cli("ship", "--all", "--json")
    assert done.returncode == 2
    results = json.loads(done.stdout)
    assert [(r["ok"], r["notified"], r["emailed"]) for r in results] == [(True, True, False)] * 2
    assert f"No customer e-mail was sent: cannot send the e-mail through 127.0.0.1:{port}" in (
        done.stderr
    )
    assert "Check the e-mail settings" in done.stderr
