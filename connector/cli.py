"""``inksoft-connector``: connect InkSoft stores, import and ship their orders.

Other packages add commands through the ``inksoft_connector.commands`` entry-point group (the
test kit adds ``demo``); a command's module is imported only when that command runs, so the
connector's own commands never load them.

Exit codes: 0 success; 1 the store reports an error (printed to stderr as ShipStation words
it); 2 bad usage or a refused connection; 3 a local storage problem; 130 interrupted (see
:mod:`connector.cli_errors`, the one place where failures become messages).
"""

from __future__ import annotations

import argparse
import getpass
import io
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, redirect_stdout
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from connector.cli_errors import (
    EXIT_OK,
    EXIT_STORE_ERROR,
    EXIT_USAGE,
    CommandLineError,
    PipeGuard,
    describe,
    report,
)
from connector.cli_storage import check_database_file, command_lock, lock_timeout
from connector.client import install_log_redaction
from connector.feed import ERROR_IN_XML
from connector.importer import STORE_ERROR_PREFIX, ImportSummary
from connector.records import AddressRecord
from connector.service import Connector, default_db_path
from connector.settings import SERVICE_PREFIX, SETTINGS, STATUSES

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

PASSWORD_ENV = "INKSOFT_PASSWORD"  # noqa: S105 (the variable's name, not a password)
NOW_ENV = "INKSOFT_CONNECTOR_NOW"  # the connector's clock, for tests (ISO 8601)
TIMEOUT_ENV = "INKSOFT_CONNECTOR_TIMEOUT"  # seconds to wait for an answer from InkSoft
BACKOFF_ENV = "INKSOFT_CONNECTOR_BACKOFF"  # seconds before the first retry of an export
#: what docs/connector-contract.md lets a connector declare; this one supports it all
CAPABILITIES = ("email", "delivery", "products", "clock", "query-auth", "read-timeout")

Command = Callable[[Connector, argparse.Namespace], int]

PLUGIN_GROUP = "inksoft_connector.commands"
# Where a command that is not installed comes from, to say so instead of "invalid choice".
KNOWN_PLUGINS = {"demo": "the test kit (inksoft_testkit) of the inksoft-shipstation-harness"}

EMPTY_QUEUE_ERROR = STORE_ERROR_PREFIX + ERROR_IN_XML  # B32, word for word
EMPTY_QUEUE_HINT = (
    "This is how InkSoft says it has no pending orders: it answers an empty page, which is not "
    "XML. Nothing is lost, and the error clears itself at the next refresh that finds orders."
)


# --- Commands --------------------------------------------------------------------------------


def cmd_connect(connector: Connector, args: argparse.Namespace) -> int:
    store = connector.connect(
        args.url, args.username, read_password(args), args.publisher_id, name=args.name
    )
    if args.json:
        return emit_json(store)
    print(
        f"Connected store {store['name']!r} (Publisher ID {store['publisher_id']}) "
        f"at {store['url']}."
    )
    return EXIT_OK


def cmd_stores(connector: Connector, args: argparse.Namespace) -> int:
    stores = connector.stores()
    if args.json:
        return emit_json(stores)
    rows = [(s["name"], str(s["publisher_id"]), s["url"], s["username"]) for s in stores]
    print(table(rows, ("STORE", "PUBLISHER ID", "URL", "USERNAME")) if rows else "No store.")
    return EXIT_OK


def cmd_capabilities(connector: Connector, args: argparse.Namespace) -> int:
    declared = {
        "capabilities": list(CAPABILITIES),
        "settings": [*SETTINGS, SERVICE_PREFIX + "*"],
    }
    if args.json:
        return emit_json(declared)
    print(f"Capabilities: {', '.join(declared['capabilities'])}.")
    print(f"Settings: {', '.join(declared['settings'])}.")
    return EXIT_OK


def cmd_settings(connector: Connector, args: argparse.Namespace) -> int:
    if args.set:
        settings = connector.update_settings(args.set, store=args.store)
    else:
        settings = connector.settings(store=args.store)
    if args.json:
        return emit_json(settings)
    print(table(flatten(settings), ("SETTING", "VALUE")))
    return EXIT_OK


def cmd_import(connector: Connector, args: argparse.Namespace) -> int:
    summary = connector.refresh(store=args.store, processes=args.processes)
    if args.json:
        emit_json(summary.as_dict())
    else:
        for line in summary_lines(summary):
            print(line)
    if summary.error:
        print(explained(summary.error), file=sys.stderr)
        return EXIT_STORE_ERROR
    return EXIT_OK


def cmd_orders(connector: Connector, args: argparse.Namespace) -> int:
    orders = connector.orders(store=args.store, status=args.status)
    if args.json:
        return emit_json(orders)
    rows = [
        (
            o["order_number"],
            o["order_date"],
            o["status"],
            o["store_status"],
            ship_to_line(o["ship_to"]),
            str(sum(item["quantity"] for item in o["items"])),
            f"{o['order_total']:.2f}",
        )
        for o in orders
    ]
    header = ("ORDER", "DATE", "STATUS", "INKSOFT STATUS", "SHIP TO", "ITEMS", "TOTAL")
    print(table(rows, header) if rows else "No orders.")
    return EXIT_OK


def cmd_status(connector: Connector, args: argparse.Namespace) -> int:
    status = connector.status(store=args.store)
    if args.json:
        emit_json(status)
    else:
        rows = [
            ("Store", status["name"]),
            ("Publisher ID", str(status["publisher_id"])),
            ("URL", status["url"]),
            ("Username", status["username"]),
            ("Last refresh", status["last_refresh"] or "never"),
            ("Error", status["error"] or "none"),
            *((f"Orders {name}", str(count)) for name, count in status["counts"].items()),
        ]
        print(table(rows))
    if status["error"]:
        print(explained(status["error"]), file=sys.stderr)
        return EXIT_STORE_ERROR
    return EXIT_OK


def cmd_products(connector: Connector, args: argparse.Namespace) -> int:
    products = connector.products(store=args.store)
    if args.json:
        return emit_json(products)
    rows = [
        (
            p["sku"],
            p["name"] or "",
            f"{p['weight']:g} {p['weight_units']}" if p["weight"] is not None else "",
            p["location"] or "",
        )
        for p in products
    ]
    print(table(rows, ("SKU", "NAME", "WEIGHT", "LOCATION")) if rows else "No products.")
    return EXIT_OK


def cmd_ship(connector: Connector, args: argparse.Namespace) -> int:
    numbers = None if args.all else args.order
    shipper = connector.shipper(args.store)
    results = shipper.ship(numbers, args.notes_to_buyer)
    if args.json:
        emit_json([r.as_dict() for r in results])
    else:
        rows = [
            (
                r.order_number,
                "ok" if r.ok else "failed",
                r.carrier or "",
                r.service or "",
                r.tracking_number or "",
                f"{r.carrier_fee:.2f}" if r.carrier_fee is not None else "",
                "yes" if r.notified else "no",
                r.error or "",
            )
            for r in results
        ]
        header = ("ORDER", "LABEL", "CARRIER", "SERVICE", "TRACKING", "FEE", "UPDATED", "ERROR")
        print(table(rows, header) if rows else "No orders awaiting shipment.")
    broken = shipper.broken_email()
    if broken:  # a setting breaks every e-mail: say so, even though the labels are made
        print(
            f"error: No customer e-mail was sent: {broken}. Check the e-mail settings "
            "(inksoft-connector settings), then change them with settings --set.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return EXIT_OK if all(r.ok for r in results) else EXIT_STORE_ERROR


def cmd_notify(connector: Connector, args: argparse.Namespace) -> int:
    results = connector.retry_notifications(store=args.store)
    if args.json:
        emit_json([r.as_dict() for r in results])
    else:
        rows = [
            (r.order_number, r.tracking_number, "accepted" if r.ok else "queued", r.error or "")
            for r in results
        ]
        header = ("ORDER", "TRACKING", "UPDATE", "ERROR")
        print(table(rows, header) if rows else "No shipment update is queued.")
    return EXIT_OK if all(r.ok for r in results) else EXIT_STORE_ERROR


def cmd_deliver(connector: Connector, args: argparse.Namespace) -> int:
    delivered = connector.deliver(args.order_number, store=args.store)
    if args.json:
        return emit_json(delivered)
    tracking = ", ".join(delivered["delivered"]) or "already recorded"
    emailed = "; delivery e-mail sent" if delivered["emailed"] else ""
    print(f"Order {delivered['order_number']} delivered ({tracking}){emailed}.")
    return EXIT_OK


COMMANDS: dict[str, Command] = {
    "connect": cmd_connect,
    "stores": cmd_stores,
    "capabilities": cmd_capabilities,
    "settings": cmd_settings,
    "import": cmd_import,
    "orders": cmd_orders,
    "status": cmd_status,
    "products": cmd_products,
    "ship": cmd_ship,
    "notify": cmd_notify,
    "deliver": cmd_deliver,
}


# --- Parsing ---------------------------------------------------------------------------------


def plugin_commands() -> dict[str, EntryPoint]:
    """The commands other installed packages add, by name (the connector's own names win)."""
    return {
        entry.name: entry
        for entry in entry_points(group=PLUGIN_GROUP)
        if entry.name not in COMMANDS
    }


def entry_points(group: str) -> Iterable[EntryPoint]:
    """The installed packages' entry points of ``group`` (importlib.metadata, imported only
    when needed: see needs_plugins())."""
    from importlib import metadata

    return metadata.entry_points(group=group)


def run_plugin(entry: EntryPoint, argv: list[str]) -> int:
    """Import the command's module (only now) and run it: ``main(argv) -> exit code``."""
    try:
        command = entry.load()
    except ImportError as missing:
        raise CommandLineError(
            f"the {entry.name!r} command ({entry.value}) cannot be loaded: {missing}. "
            "Reinstall the package that provides it."
        ) from None
    return int(command(argv))


def command_name(argv: Sequence[str]) -> str | None:
    """The command word of ``argv``: its first argument that is no option nor option value."""
    words = iter(argv)
    for word in words:
        if word in ("--db", "--auth"):
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


PLAIN_GLOBAL_OPTIONS = frozenset({"--json", "-v", "--verbose", "--db", "--auth"})


def needs_plugins(argv: Sequence[str]) -> bool:
    """Whether the installed packages' commands matter: not for one of the connector's own
    commands with nothing before it that could ask for the whole help (which lists them).
    Looking them up reads every installed package's metadata, a good part of a start-up."""
    name = command_name(argv)
    if name not in COMMANDS:
        return True
    before = argv[: list(argv).index(name)]
    return any(
        word.startswith("-") and word.partition("=")[0] not in PLAIN_GLOBAL_OPTIONS
        for word in before
    )


class Parser(argparse.ArgumentParser):
    """Raises :class:`CommandLineError` where argparse would print and exit."""

    def error(self, message: str) -> NoReturn:
        raise CommandLineError(f"{message} (see {self.prog} --help).")


def database_path(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError(
            "the database path is empty: give a file path, or leave --db out for the default"
        )
    return text


def add_global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """The options every command takes, before or after its name (``suppress``: no default,
    so that a command's parser keeps the value given before the command's name)."""

    def maybe(value: Any) -> Any:
        return argparse.SUPPRESS if suppress else value

    parser.add_argument(
        "--json", action="store_true", default=maybe(False), help="print JSON instead of a table"
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        type=database_path,
        default=maybe(None),
        help="the database (default: $INKSOFT_CONNECTOR_DB, else "
        "$XDG_DATA_HOME/inksoft-connector/connector.db)",
    )
    parser.add_argument(
        "--auth",
        choices=("basic", "query"),
        default=maybe("basic"),
        help="send credentials as HTTP Basic (default) or as SS-UserName/SS-Password parameters",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", default=maybe(False), help="log requests to stderr"
    )


def build_parser(plugins: Iterable[EntryPoint] = ()) -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    add_global_options(common, suppress=True)
    with_store = Parser(add_help=False, parents=[common])
    with_store.add_argument(
        "--store", metavar="NAME|PUBLISHER_ID", help="which store (when several are connected)"
    )

    parser = Parser(
        prog="inksoft-connector",
        description="The ShipStation side of the InkSoft integration.",
        epilog="Exit codes: 0 success, 1 a store error, 2 bad usage or a refused connection, "
        "3 a local storage problem, 130 interrupted.",
    )
    add_global_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    connect = commands.add_parser("connect", parents=[common], help="connect an InkSoft store")
    connect.add_argument("--url", required=True, help="InkSoft's base URL")
    connect.add_argument("--username", required=True)
    secret = connect.add_mutually_exclusive_group()
    secret.add_argument("--password", help=f"(or --password-stdin, or ${PASSWORD_ENV})")
    secret.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    connect.add_argument("--publisher-id", required=True, metavar="ID")
    connect.add_argument("--name", help="the store's name (default: InkSoft <ID>)")

    commands.add_parser("stores", parents=[common], help="list the connected stores")
    commands.add_parser(
        "capabilities", parents=[common], help="what the connector supports (for test kits)"
    )
    settings = commands.add_parser(
        "settings", parents=[with_store], help="show or change the store settings"
    )
    settings.add_argument(
        "--set", action="append", metavar="KEY=VALUE", help="change a setting (repeatable)"
    )
    importing = commands.add_parser(
        "import", parents=[with_store], help="import new and changed orders"
    )
    importing.add_argument(
        "--processes",
        type=int,
        choices=(1, 2),
        default=2,
        help="share the pages between two processes (Linux; default), or import in one",
    )
    orders = commands.add_parser("orders", parents=[with_store], help="list imported orders")
    orders.add_argument("--status", choices=STATUSES)
    commands.add_parser("status", parents=[with_store], help="last refresh, store error, counts")
    commands.add_parser("products", parents=[with_store], help="the product catalogue")

    ship = commands.add_parser(
        "ship", parents=[with_store], help="create labels and update InkSoft"
    )
    which = ship.add_mutually_exclusive_group(required=True)
    which.add_argument("--order", action="append", metavar="N", help="an order (repeatable)")
    which.add_argument("--all", action="store_true", help="every order awaiting shipment")
    ship.add_argument("--notes-to-buyer", metavar="TEXT", help="sent to InkSoft with the update")
    notify = commands.add_parser(
        "notify", parents=[with_store], help="send queued shipment updates again"
    )
    notify.add_argument("--retry", action="store_true", required=True)
    deliver = commands.add_parser(
        "deliver", parents=[with_store], help="record the carrier's delivered event"
    )
    deliver.add_argument("order_number", metavar="ORDER_NUMBER")
    for entry in plugins:  # its own parser reads its arguments, --help included
        commands.add_parser(
            entry.name,
            help=f"added by {entry.module} (see inksoft-connector {entry.name} --help)",
            add_help=False,
        )
    return parser


WRITING_COMMANDS = frozenset({"connect", "import", "ship", "notify", "deliver"})


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure is a message and an exit code, never a traceback."""
    argv = sys.argv[1:] if argv is None else list(argv)
    # known before parsing, so that a usage error is JSON too (argparse accepts "--js")
    options = argv[: argv.index("--")] if "--" in argv else argv
    as_json = any(len(arg) > 2 and "--json".startswith(arg) for arg in options)
    stdout = sys.stdout
    sys.stdout = PipeGuard(stdout)
    try:
        return run(argv, as_json=as_json)
    finally:
        sys.stdout.flush()
        sys.stdout = stdout


def run(argv: list[str], *, as_json: bool) -> int:
    args: argparse.Namespace | None = None
    db_path: Path | None = None
    try:
        parsed = parse(argv, as_json=as_json)
        if parsed is None:
            return EXIT_OK
        args, extra, plugin = parsed
        as_json = args.json
        install_log_redaction()
        if args.verbose:
            logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
        if plugin is not None:
            return run_plugin(plugin, extra)
        db_path = Path(args.db).expanduser() if args.db else default_db_path(os.environ)
        check_database_file(db_path)
        with ExitStack() as stack:
            if args.command in WRITING_COMMANDS or getattr(args, "set", None):
                stack.enter_context(command_lock(db_path, lock_timeout(os.environ)))
            connector = stack.enter_context(
                Connector(db_path, auth=args.auth, **from_environment(os.environ))
            )
            return COMMANDS[args.command](connector, args)
    except (Exception, KeyboardInterrupt) as problem:
        connecting = args is not None and args.command == "connect"
        failure = describe(problem, db_path, connecting=connecting)
        verbose = bool(args and args.verbose)
        return report(failure, as_json=as_json, problem=problem, verbose=verbose)


def parse(
    argv: list[str], *, as_json: bool
) -> tuple[argparse.Namespace, list[str], EntryPoint | None] | None:
    """The arguments and the plugin that runs the command (None: the connector's own), or
    None when ``--help`` was answered (as JSON under ``--json``)."""
    plugins = plugin_commands() if needs_plugins(argv) else {}
    name = command_name(argv)
    if name in KNOWN_PLUGINS and name not in plugins:
        raise CommandLineError(
            f"the {name!r} command is not installed: it comes with {KNOWN_PLUGINS[name]}. "
            "Install that package (pip install .) to add it."
        )
    parser = build_parser(plugins.values())
    shown = io.StringIO()
    try:
        with redirect_stdout(shown):
            args, extra = parser.parse_known_args(argv)
    except SystemExit:  # --help: argparse printed it and wants to exit 0
        text = shown.getvalue()
        print(json.dumps({"ok": True, "help": text}, indent=2) if as_json else text, end="")
        return None
    plugin = plugins.get(args.command)
    if extra and plugin is None:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args, extra, plugin


def from_environment(env: Mapping[str, str]) -> dict[str, Any]:
    """The clock, read timeout and retry backoff a test kit may set (``$INKSOFT_CONNECTOR_NOW``,
    ``_TIMEOUT``, ``_BACKOFF``), as :class:`Connector` arguments."""
    options: dict[str, Any] = {}
    try:
        if env.get(NOW_ENV):
            moment = datetime.fromisoformat(env[NOW_ENV].replace("Z", "+00:00"))
            options["clock"] = lambda: moment
        if env.get(TIMEOUT_ENV):
            options["timeout"] = (5, float(env[TIMEOUT_ENV]))
        if env.get(BACKOFF_ENV):
            options["backoff"] = float(env[BACKOFF_ENV])
    except ValueError as problem:
        raise CommandLineError(
            f"A test setting ($INKSOFT_CONNECTOR_*) is not valid: {problem}"
        ) from None
    return options


# --- Output ----------------------------------------------------------------------------------


def read_password(args: argparse.Namespace) -> str:
    """``--password``, else ``--password-stdin``, else ``$INKSOFT_PASSWORD``, else a prompt."""
    if args.password is not None:
        return args.password
    if args.password_stdin:
        if sys.stdin.isatty():  # a person at the keyboard: ask, without echo
            return getpass.getpass("InkSoft password: ")
        return sys.stdin.readline().rstrip("\r\n")
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if sys.stdin.isatty():
        return getpass.getpass("InkSoft password: ")
    return ""


def explained(store_error: str) -> str:
    """The store error as ShipStation words it; the empty-queue one with what it means."""
    if store_error == EMPTY_QUEUE_ERROR:
        return f"{store_error}\n{EMPTY_QUEUE_HINT}"
    return store_error


def emit_json(value: Any) -> int:
    print(json.dumps(value, indent=2, ensure_ascii=False))
    return EXIT_OK


def table(rows: Iterable[Sequence[str]], header: Sequence[str] | None = None) -> str:
    """Rows as left-aligned columns, two spaces apart."""
    return "\n".join(table_lines(rows, header))


def table_lines(
    rows: Iterable[Sequence[str]], header: Sequence[str] | None = None
) -> Iterator[str]:
    """:func:`table`'s lines one at a time, so that a long table is never one string."""
    lines = [header, *rows] if header else list(rows)
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))] if lines else []
    for line in lines:
        cells = (cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        yield "  ".join(cells).rstrip()


def flatten(settings: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (f"{section}.{key}", display(value))
        for section, values in settings.items()
        for key, value in values.items()
    ]


def display(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def ship_to_line(ship_to: AddressRecord | None) -> str:
    if not ship_to:
        return ""
    return ", ".join(
        part for part in (ship_to["city"], ship_to["state"], ship_to["country"]) if part
    )


def summary_lines(summary: ImportSummary) -> Iterator[str]:
    """The refresh's summary, line by line: a million-order import may skip tens of thousands,
    and their table as one string was the peak of its memory (``bench.memory``)."""
    pages = f"{summary.pages} page" + ("" if summary.pages == 1 else "s")
    counts = f"{len(summary.imported)} new and {len(summary.updated)} updated orders"
    if summary.unchanged:
        counts += f" ({len(summary.unchanged)} unchanged)"
    yield f"Imported {counts} from {pages}."
    if summary.skipped:
        yield f"Skipped {len(summary.skipped)}:"
        rows = [(s.order_number, s.reason, s.message) for s in summary.skipped]
        yield from table_lines(rows, ("ORDER", "REASON", "MESSAGE"))
