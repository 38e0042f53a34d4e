"""End to end in a real browser: headless Chromium, driven by Playwright with JavaScript off,
against a live mock on an ephemeral port, with the connector shipping an order in between.

Without Playwright or a Chromium these tests skip and say why; under CI (``$CI`` set) that is a
failure instead. The main page's screenshot is left in ``reports/dashboard.png`` when the
top-level ``reports/`` folder exists (``.ci/run`` makes it), as the HTML report's is.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from connector import Connector
from inksoft_testkit.live import LiveInkSoft, start_live_inksoft

if TYPE_CHECKING:  # imported by pytest as a plugin (pytest_plugins)
    from browser_support import SharedChromium

SCREENSHOT = Path(__file__).resolve().parents[2] / "reports" / "dashboard.png"
TOKEN = "browser-token"


pytest_plugins = ["browser_support"]


@pytest.fixture
def browser(chromium: SharedChromium) -> Any:
    return chromium.browser("run the dashboard's browser tests")


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context with JavaScript disabled: every form must work without it."""
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1360, "height": 900}
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def live() -> Iterator[LiveInkSoft]:
    server = start_live_inksoft()
    yield server
    server.stop()


def generate(page: Any, count: int, seed: int, status: str) -> None:
    form = page.locator("#actions form", has_text="Generate orders")
    form.get_by_label("Count").fill(str(count))
    form.get_by_label("Seed").fill(str(seed))
    form.get_by_label("Status").select_option(status)
    form.get_by_role("button", name="Generate").click()


def test_the_dashboard_end_to_end(page: Any, live: LiveInkSoft, tmp_path: Path):
    from playwright.sync_api import expect

    page.goto(f"{live.url}/__admin/")
    expect(page.get_by_text("No orders yet")).to_be_visible()

    generate(page, count=5, seed=11, status="On Hold")
    generate(page, count=3, seed=12, status="Ready to Ship")
    expect(page.locator("p.flash")).to_have_text(
        "Generated 3 orders (1048006–1048008) with seed 12."
    )
    expect(page.locator("#orders tbody tr")).to_have_count(8)

    page.locator("#orders").get_by_label("Status").select_option("Ready to Ship")
    page.locator("#orders").get_by_role("button", name="Filter").click()
    rows = page.locator("#orders tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.locator(".pill")).to_have_text(["Ready to Ship"] * 3)

    link = rows.first.locator("td a")
    number = link.inner_text()
    link.click()
    expect(page.locator("h1")).to_contain_text(f"Order {number}")
    exported = page.locator('pre[aria-label="Exported XML"]')
    expect(exported).to_contain_text(f"<OrderNumber><![CDATA[{number}]]></OrderNumber>")
    expect(exported).to_contain_text("<OrderStatus><![CDATA[Ready to Ship]]></OrderStatus>")

    connector = Connector(tmp_path / "connector.db")
    connector.connect(live.url, "demo", "demo-password", 10001)
    assert connector.refresh().ok
    (shipped,) = connector.ship([number])
    assert shipped.ok, shipped.error

    page.reload()
    expect(page.locator("h1 .pill")).to_have_text("Shipped")
    expect(page.locator("code.tracking")).to_have_text(shipped.tracking_number)

    page.goto(f"{live.url}/__admin/")
    shipments = page.locator("#shipments tbody tr")
    expect(shipments).to_have_count(1)
    expect(shipments.first).to_contain_text(number)
    expect(shipments.first).to_contain_text(shipped.tracking_number)
    expect(page.locator("#journal tbody tr").first).to_contain_text("shipnotify")
    if SCREENSHOT.parent.is_dir():  # the top-level reports/ folder: .ci/run keeps it
        page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.get_by_role("button", name="Reset the mock").click()
    expect(page.locator("p.flash")).to_contain_text("Reset:")
    expect(page.get_by_text("No orders yet")).to_be_visible()
    assert live.admin.orders() == []


def test_the_token_in_a_browser(page: Any):
    from playwright.sync_api import expect

    server = start_live_inksoft(admin_token=TOKEN)
    try:
        response = page.goto(f"{server.url}/__admin/")
        assert response.status == 401
        page.get_by_label("Admin token").fill(TOKEN)
        page.get_by_role("button", name="Open the dashboard").click()
        assert page.url == f"{server.url}/__admin/"  # the token is not left in the address
        (cookie,) = page.context.cookies()
        assert (cookie["value"], cookie["httpOnly"], cookie["path"]) == (TOKEN, True, "/__admin/")
        generate(page, count=2, seed=3, status="Open")
        expect(page.locator("p.flash")).to_have_text(
            "Generated 2 orders (1048001–1048002) with seed 3."
        )
        assert len(server.admin.orders()) == 2
    finally:
        server.stop()


@pytest.mark.slow  # with the browser tests above: alone, it has nothing to show
def test_a_test_without_the_browser_runs_its_own_event_loop(request):
    """The session's browser, open since the tests above, leaves asyncio to the tests that do
    not use it (browser_support.playwright_loop_running); the test below still drives it."""
    import asyncio

    from browser_support import SHARED

    assert "chromium" not in request.fixturenames
    if not SHARED or SHARED[0].loop is None:  # -k, or an xdist worker the tests above missed
        pytest.skip("no browser opened in this process before this test: nothing to show")

    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    assert asyncio.run(answer()) == 42


def test_a_journalled_request_has_its_own_page(page: Any, live: LiveInkSoft):
    import requests
    from playwright.sync_api import expect

    live.admin.generate_orders(count=1, seed=4)
    requests.post(
        live.endpoint(10001),
        params={"action": "shipnotify", "order_number": "1048001", "tracking_number": "AAA"},
        data=b"<ShipNotice><OrderID>1048001</OrderID><Carrier>UPS</Carrier>"
        b"<TrackingNumber>BBB</TrackingNumber></ShipNotice>",
        auth=("demo", "demo-password"),
        timeout=10,
    )
    page.goto(f"{live.url}/__admin/")
    row = page.locator("#journal tbody tr").first
    expect(row).to_contain_text("InvalidRequest")
    row.locator("td a").click()
    expect(page.locator("h1")).to_contain_text("POST /10001/shipstation")
    expect(page.locator("code.error-code")).to_have_text("InvalidRequest")
    expect(page.locator(".error-message")).to_contain_text(
        "The query's tracking_number 'AAA' and the body's <TrackingNumber> 'BBB' disagree"
    )
    expect(page.locator('pre[aria-label="Request body"]')).to_contain_text(
        "<TrackingNumber>BBB</TrackingNumber>"
    )
    page.get_by_role("link", name="← Request journal").click()
    expect(page.locator("#journal tbody tr")).to_have_count(1)
