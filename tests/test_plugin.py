"""The pytest plugin gives another project a live mock and a connected connector."""

from __future__ import annotations

pytest_plugins = ["pytester"]


def test_another_project_gets_the_fixtures_by_installing_the_package(pytester):
    pytester.makepyfile(
        """
        import requests


        def test_import(inksoft, inksoft_connector):
            inksoft.admin.generate_orders(count=5, seed=1, status="Ready to Ship")
            summary = inksoft_connector.refresh()
            assert summary.ok
            assert len(summary.imported) + len(summary.skipped) == 5


        def test_the_server_is_live_on_loopback(inksoft_server):
            assert inksoft_server.url.startswith("http://127.0.0.1:")
            answer = requests.get(inksoft_server.endpoint(10001), timeout=5)
            assert answer.status_code == 401


        def test_each_test_starts_from_a_reset_mock(inksoft):
            assert inksoft.admin.orders() == []
            inksoft.admin.generate_orders(count=2, seed=2)


        def test_and_the_next_one_too(inksoft):
            assert inksoft.admin.orders() == []


        def test_smtp(smtp_server):
            import smtplib

            with smtplib.SMTP(smtp_server.host, smtp_server.port) as client:
                client.sendmail("a@shop.test", ["b@shop.test"], "Subject: hi\\n\\nhello")
            [message] = smtp_server.messages
            assert message["Subject"] == "hi"
        """
    )
    # auto-loaded, as installed: the inner run's plugin manager starts empty and finds the
    # plugin through the package's pytest11 entry point alone; only plugins that would load a
    # lot for nothing are left out. In process: a subprocess would re-import (and, where no
    # bytecode is written, re-rewrite) every module of every plugin's distribution, seconds of
    # CPU that show nothing more; test_readme.py runs the plugin in a fresh process.
    quiet = ("-p", "no:schemathesis", "-p", "no:hypothesispytest", "-p", "no:anyio")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", *quiet)
    result.assert_outcomes(passed=5)
