"""``inksoft-connector``: connect InkSoft stores, import and ship their orders.

Other packages add commands through the ``inksoft_connector.commands`` entry-point group (the
test kit adds ``demo``); a command's module is imported only when that command runs, so the
connector's own commands never load them.

Exit codes: 0 success; 1 the store reports an error (printed to stderr as ShipStation words
it); 2 bad usage or a refused connection.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from connector.client import install_log_redaction
from connector.exceptions import ConnectorError, UsageError
from connector.importer import ImportSummary
from connector.records import AddressRecord
from connector.service import Connector
from connector.settings import STATUSES

PASSWORD_ENV = "INKSOFT_PASSWORD"  # noqa: S105 (the variable's name, not a password)

EXIT_OK, EXIT_STORE_ERROR, EXIT_USAGE = 0, 1, 2

Command = Callable[[Connector, argparse.Namespace], int]

PLUGIN_GROUP = "inksoft_connector.commands"
# Where a command that is not installed comes from, to say so instead of "invalid choice".
KNOWN_PLUGINS = {"demo": "the test kit (inksoft_testkit) of the inksoft-shipstation-harness"}


# --- Commands --------------------------------------------------------------------------------


def cmd_connect(connector: Connector, args: argparse.Namespace) -> int:
    try:
        store = connector.connect(
            args.url, args.username, read_password(args), args.publisher_id, name=args.name
        )
    except ConnectorError as refused:
        return fail(args, refused, EXIT_USAGE)
    if args.json:
        return emit_json(store)
    print(
        f"Connected store {store['name']!r} (Publisher ID {store['publisher_id']}) "
        f"at {store['url']}."
    )
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
    summary = connector.refresh(store=args.store)
    if args.json:
        emit_json(summary.as_dict())
    else:
        print(describe_summary(summary))
    if summary.error:
        print(summary.error, file=sys.stderr)
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
        print(status["error"], file=sys.stderr)
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
    results = connector.ship(numbers, notes_to_buyer=args.notes_to_buyer, store=args.store)
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


def run_plugin(entry: EntryPoint, argv: list[str]) -> int:
    """Import the command's module (only now) and run it: ``main(argv) -> exit code``."""
    try:
        command = entry.load()
    except ImportError as missing:
        print(
            f"error: the {entry.name!r} command ({entry.value}) cannot be loaded: {missing}. "
            "Reinstall the package that provides it.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return command(argv)


def command_name(argv: Sequence[str]) -> str | None:
    """The command word of ``argv``: its first argument that is no option nor option value."""
    words = iter(argv)
    for word in words:
        if word in ("--db", "--auth"):
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def build_parser(plugins: Iterable[EntryPoint] = ()) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print JSON instead of a table")
    common.add_argument("--db", default=argparse.SUPPRESS, help="the database file")
    with_store = argparse.ArgumentParser(add_help=False, parents=[common])
    with_store.add_argument(
        "--store", metavar="NAME|PUBLISHER_ID", help="which store (when several are connected)"
    )

    parser = argparse.ArgumentParser(
        prog="inksoft-connector",
        description="The ShipStation side of the InkSoft integration.",
        epilog="Exit codes: 0 success, 1 a store error, 2 bad usage or a refused connection.",
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="the database (default: $INKSOFT_CONNECTOR_DB, else "
        "$XDG_DATA_HOME/inksoft-connector/connector.db)",
    )
    parser.add_argument(
        "--auth",
        choices=("basic", "query"),
        default="basic",
        help="send credentials as HTTP Basic (default) or as SS-UserName/SS-Password parameters",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log requests to stderr")
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

    settings = commands.add_parser(
        "settings", parents=[with_store], help="show or change the store settings"
    )
    settings.add_argument(
        "--set", action="append", metavar="KEY=VALUE", help="change a setting (repeatable)"
    )
    commands.add_parser("import", parents=[with_store], help="import new and changed orders")
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


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    plugins = plugin_commands()
    name = command_name(argv)
    if name in KNOWN_PLUGINS and name not in plugins:
        print(
            f"error: the {name!r} command is not installed: it comes with {KNOWN_PLUGINS[name]}. "
            "Install that package (pip install .) to add it.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    parser = build_parser(plugins.values())
    try:
        args, extra = parser.parse_known_args(argv)
        if extra and args.command not in plugins:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    install_log_redaction()
    if args.verbose:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.command in plugins:
        return run_plugin(plugins[args.command], extra)
    try:
        with Connector(args.db, auth=args.auth) as connector:
            return COMMANDS[args.command](connector, args)
    except UsageError as problem:
        return fail(args, problem, EXIT_USAGE)
    except ConnectorError as problem:
        return fail(args, problem, EXIT_STORE_ERROR)
    except KeyboardInterrupt:
        return 130


# --- Output ----------------------------------------------------------------------------------


def read_password(args: argparse.Namespace) -> str:
    """``--password``, else ``--password-stdin``, else ``$INKSOFT_PASSWORD``, else a prompt."""
    if args.password is not None:
        return args.password
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if sys.stdin.isatty():
        return getpass.getpass("InkSoft password: ")
    return ""


def fail(args: argparse.Namespace, problem: ConnectorError, code: int) -> int:
    if getattr(args, "json", False):
        emit_json({"error": str(problem)})
    print(f"error: {problem}", file=sys.stderr)
    return code


def emit_json(value: Any) -> int:
    print(json.dumps(value, indent=2, ensure_ascii=False))
    return EXIT_OK


def table(rows: Iterable[Sequence[str]], header: Sequence[str] | None = None) -> str:
    """Rows as left-aligned columns, two spaces apart."""
    lines = [list(header)] if header else []
    lines += [list(row) for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))] if lines else []
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


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


def describe_summary(summary: ImportSummary) -> str:
    pages = f"{summary.pages} page" + ("" if summary.pages == 1 else "s")
    counts = f"{len(summary.imported)} new and {len(summary.updated)} updated orders"
    lines = [f"Imported {counts} from {pages}."]
    if summary.skipped:
        lines.append(f"Skipped {len(summary.skipped)}:")
        rows = [(s.order_number, s.reason, s.message) for s in summary.skipped]
        lines.append(table(rows, ("ORDER", "REASON", "MESSAGE")))
    return "\n".join(lines)
