"""The admin token on the dashboard: a header as for the JSON API, or ``?token=`` once in a
browser, which sets an HttpOnly cookie that later pages and forms carry."""

from __future__ import annotations

from dashboard_support import TOKEN, alert, page, texts
from flask.testing import FlaskClient

COOKIE = "mock_inksoft_admin_token"


def test_without_the_token_the_dashboard_asks_for_it(guarded: FlaskClient):
    for path in ("/__admin/", "/__admin/ui/orders/1", "/__admin/ui/shipments/0"):
        response = guarded.get(path)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        document = page(response)
        assert texts(document, "//h1") == ["This mock needs its admin token"]
        assert document.xpath('//form[@method="get"]//input[@name="token"]/@type') == ["password"]
        assert TOKEN.encode() not in response.data
    stylesheet = guarded.get("/__admin/ui/static/dashboard.css")  # styles this page too
    assert stylesheet.status_code == 200
    stylesheet.close()


def test_the_token_as_a_header(guarded: FlaskClient):
    assert guarded.get("/__admin/", headers={"X-Admin-Token": TOKEN}).status_code == 200
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    assert guarded.get("/__admin/", headers=bearer).status_code == 200
    assert guarded.get("/__admin/", headers={"X-Admin-Token": "nope"}).status_code == 401


def test_the_token_in_the_query_sets_an_http_only_cookie(guarded: FlaskClient):
    response = guarded.get("/__admin/", query_string={"status": "Open", "token": TOKEN})
    assert response.status_code == 303
    assert response.location == "/__admin/?status=Open"  # the token leaves the address bar
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Path=/__admin/" in cookie
    assert guarded.get_cookie(COOKIE, path="/__admin/").value == TOKEN
    assert guarded.get(response.location).status_code == 200


def test_forms_carry_the_token_through_the_cookie(guarded: FlaskClient):
    refused = guarded.post("/__admin/ui/generate", data={"count": "2", "seed": "1"})
    assert refused.status_code == 401
    guarded.get("/__admin/", query_string={"token": TOKEN})
    accepted = guarded.post("/__admin/ui/generate", data={"count": "2", "seed": "1"})
    assert accepted.status_code == 303
    orders = guarded.get("/__admin/orders", headers={"X-Admin-Token": TOKEN}).json["orders"]
    assert len(orders) == 2


def test_a_wrong_token_is_refused(guarded: FlaskClient):
    response = guarded.get("/__admin/", query_string={"token": "guess"})
    assert response.status_code == 401
    assert alert(page(response)) == "That is not the admin token."
    assert guarded.get_cookie(COOKIE, path="/__admin/") is None
    guarded.set_cookie(COOKIE, "guess", path="/__admin/")
    assert guarded.get("/__admin/").status_code == 401


def test_a_query_token_on_a_post_is_not_taken(guarded: FlaskClient):
    response = guarded.post("/__admin/ui/reset", query_string={"token": TOKEN})
    assert response.status_code == 401


def test_the_json_api_still_takes_only_the_header(guarded: FlaskClient):
    guarded.get("/__admin/", query_string={"token": TOKEN})  # the dashboard's cookie is set
    response = guarded.get("/__admin/orders")
    assert (response.status_code, response.mimetype) == (401, "application/json")
    assert guarded.get("/__admin/health").status_code == 200
