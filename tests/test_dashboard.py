"""The dashboard through a Flask test client: the page, `/`, the data routes, the journal summary."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from flask import Flask
from werkzeug.test import Client

from conftest import TEST_SETTINGS, Api, Office, validating_app
from mockvoso.app import create_app
from mockvoso.client import InProcessControl
from mockvoso.config import Settings
from mockvoso.dashboard import ASSETS, CSP
from mockvoso.faults.summary import SUMMARY_CHARS
from mockvoso.serving import cli
from mockvoso.serving.server import ThreadedServer
from mockvoso.webhooks.payload import CATALOGUE
from mockvoso.webhooks.receivers import EVENTS, FORMATS

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
NOT_FOUND = {"success": False, "code": 404, "text": "Not Found"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.labels: set[str] = set()
        self.fields: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.links += [value for name, value in attrs if name in ("src", "href") and value]
        if tag == "label" and values.get("for"):
            self.labels.add(str(values["for"]))
        if tag in ("input", "select", "textarea"):
            self.fields.append(str(values.get("id")))


def data(api: Api, path: str, **query: str) -> tuple[int, dict]:
    response = api.control("GET", path, query_string=query)
    assert response.mimetype == "application/json"
    return response.status_code, response.get_json()


# --- the page and its assets ------------------------------------------------------------


def test_page_is_served_with_local_assets_only(api: Api) -> None:
    page = api.http.get("/_mockvoso/ui")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert page.headers["Content-Security-Policy"] == CSP
    assert "connect-src 'self'" in CSP and "script-src 'self'" in CSP
    html = page.get_data(as_text=True)
    assert "http://" not in html and "https://" not in html  # no CDN: works offline
    parser = _Links()
    parser.feed(html)
    local = [link for link in parser.links if not link.startswith(("#", "data:"))]
    assert sorted(local) == sorted(f"/_mockvoso/ui/static/{name}" for name in ASSETS)
    for link in local:
        asset = api.http.get(link)
        assert asset.status_code == 200 and asset.data, link
        assert asset.mimetype == ASSETS[link.rsplit("/", 1)[1]]
    # Every form field has a label (the data filters are built by the script, with labels).
    assert parser.fields and set(parser.fields) <= parser.labels


def test_unknown_asset_is_a_control_plane_404(api: Api) -> None:
    for name in ("index.html", "..%2Fdashboard.html", "uPlot.LICENSE"):
        missing = api.http.get(f"/_mockvoso/ui/static/{name}")
        assert missing.status_code == 404, name
        assert set(missing.get_json()) == {"error"}, name


def test_page_escapes_what_it_echoes(api: Api) -> None:
    # Mounted under a hostile path prefix (SCRIPT_NAME): every echo of it is escaped. A plain
    # werkzeug client: the contract knows the routes at the root, not under a prefix.
    hostile = "http://localhost/x%22%3E%3Cscript%3Ealert(1)%3C/script%3E"
    page = Client(api.app).get("/_mockvoso/ui", base_url=hostile)
    html = page.get_data(as_text=True)
    escaped = "/x&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert f'data-root="{escaped}"' in html
    assert f'<script src="{escaped}/_mockvoso/ui/static/dashboard.js"></script>' in html


class _Controls(HTMLParser):
    """The clock view's event checkboxes, format options and catalogue text."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, bool]] = []
        self.formats: list[str] = []
        self.catalogue = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("name") == "events":
            self.events.append((str(values.get("value")), "checked" in values))
        elif tag == "select" and values.get("id") == "webhook-format":
            self._in = "format"
        elif tag == "p" and values.get("class") == "catalogue":
            self._in = "catalogue"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("select", "p"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "format" and data.strip():
            self.formats.append(data.strip())
        elif self._in == "catalogue":
            self.catalogue += data


def test_clock_view_offers_the_servers_events_formats_and_catalogue(api: Api) -> None:
    html = api.http.get("/_mockvoso/ui").get_data(as_text=True)
    controls = _Controls()
    controls.feed(html)
    # Every event checked: an untouched form registers what the server defaults to.
    assert controls.events == [(event, True) for event in EVENTS]
    assert controls.formats == list(FORMATS)
    assert controls.catalogue.replace(",", " ").split()[: len(CATALOGUE)] == list(CATALOGUE)
    for field in ("clock-set", "clock-advance", "clock-dial", "simulate-office",
                  "simulate-calls", "webhook-url", "webhook-fields"):  # fmt: skip
        assert f'<label for="{field}"' in html, field
    assert "Not available yet" not in html


def test_page_needs_no_admin_token_but_the_data_does() -> None:
    app = validating_app({"leads": 5, "admin_token": "s3cret"})
    client = app.test_client()
    assert client.get("/_mockvoso/ui").status_code == 200
    assert client.get("/_mockvoso/ui/static/dashboard.js").status_code == 200
    for path in ("/_mockvoso/offices/ACME/data", "/_mockvoso/offices/ACME/data/leads"):
        refused = client.get(path)
        assert refused.status_code == 401
        assert refused.get_json() == {"error": "missing or wrong X-Mockvoso-Admin-Token header"}
        allowed = client.get(path, headers={"X-Mockvoso-Admin-Token": "s3cret"})
        assert allowed.status_code == 200


# --- `/` --------------------------------------------------------------------------------


def test_root_redirects_browsers_only(api: Api) -> None:
    browser = api.http.get("/", headers={"Accept": BROWSER_ACCEPT})
    assert browser.status_code == 302
    assert browser.headers["Location"] == "/_mockvoso/ui"
    for accept in ("application/json", "*/*", None, "application/json, text/html;q=0.5"):
        headers = {"Accept": accept} if accept else {}
        other = api.http.get("/", headers=headers)
        assert other.status_code == 404, accept
        assert other.get_json() == NOT_FOUND


# --- data routes --------------------------------------------------------------------------


def test_counts(api: Api, app: Flask) -> None:
    status, body = data(api, "offices/acme/data")
    counts = app.extensions["mockvoso"].world.office("ACME").counts()
    assert status == 200
    assert body == {
        "office": "ACME",
        "resources": {
            "leads": 300,
            "lists": counts["lists"],
            "campaigns": counts["campaigns"],
            "log": counts["call_logs"],
            "recordings": counts["recordings"],
        },
    }
    assert counts["leads"] == 300


def test_leads_page_is_what_leads_search_answers(api: Api) -> None:
    status, body = data(api, "offices/ACME/data/leads", list_id="2701", offset="2", limit="5")
    v1 = api.ok("leads/search", {"list_id": 2701, "offset": 2, "limit": 5})["data"]
    assert status == 200
    assert body["entries"] == v1["entries"] and len(body["entries"]) == 5
    assert (body["office"], body["resource"], body["offset"], body["limit"]) == (
        "ACME",
        "leads",
        2,
        5,
    )
    assert body["total"] == int(v1["total"]) and isinstance(body["total"], int)
    assert body["filters"] == {"list_id": "2701"}
    assert {lead["list_id"] for lead in body["entries"]} == {"2701"}


def test_defaults_and_custom_field_filter(api: Api) -> None:
    api.ok("leads/insert", {"list_id": 2702, "phone_number": "5305550101", "plan_sold": "Gold"})
    status, body = data(api, "offices/ACME/data/leads", plan_sold="gold", status="")
    assert status == 200
    assert (body["offset"], body["limit"], body["total"]) == (0, 25, 1)
    assert body["filters"] == {"plan_sold": "gold"}  # an empty value is not supplied
    assert body["entries"][0]["phone_number"] == "5305550101"
    assert body["entries"][0]["plan_sold"] == "Gold"
    _, everything = data(api, "offices/ACME/data/leads")
    assert (everything["total"], len(everything["entries"])) == (301, 25)


def test_lists_and_campaigns_are_paged_here(api: Api) -> None:
    v1_lists = api.ok("lists/search", {"campaign_id": 501})["data"]
    status, body = data(api, "offices/ACME/data/lists", campaign_id="501", offset="1", limit="1")
    assert status == 200
    assert body["total"] == len(v1_lists) and len(v1_lists) >= 2
    assert body["entries"] == v1_lists[1:2]
    campaigns = api.ok("campaigns/search")["data"]
    status, body = data(api, "offices/ACME/data/campaigns")
    assert (status, body["total"], body["entries"]) == (200, len(campaigns), campaigns)


def test_log_and_recordings(api: Api, acme: Office) -> None:
    user_id = acme.users[0]["user_id"]
    v1 = api.ok("log/retrieve", {"user_id": user_id, "limit": 3})["data"]
    status, body = data(api, "offices/ACME/data/log", user_id=user_id, limit="3")
    assert status == 200
    assert body["entries"] == v1["results"] and body["total"] == int(v1["total_found"])
    emails = ",".join(user["email"] for user in acme.users)
    every = api.ok("users/recordings", {"user": emails, "limit": 1000})["data"]
    status, body = data(api, "offices/ACME/data/recordings", limit="1000")
    assert status == 200
    assert body["total"] == every["total"] > 0 and body["entries"] == every["entries"]
    assert body["filters"] == {}  # every agent is the default, not a filter the user set
    one = acme.users[0]["email"]
    _, mine = data(api, "offices/ACME/data/recordings", user=one)
    assert mine["total"] == api.ok("users/recordings", {"user": one})["data"]["total"]


@pytest.mark.parametrize(
    ("path", "query", "error", "field"),
    [
        (
            "leads",
            {"list_id": "abc"},
            "Invalid parameter list_id: Not a valid whole number: 'abc'.",
            "list_id",
        ),
        ("leads", {"limit": "0"}, "limit: must be a whole number 1..2000", "limit"),
        ("leads", {"limit": "2001"}, "limit: must be a whole number 1..2000", "limit"),
        ("log", {"limit": "501"}, "limit: must be a whole number 1..500", "limit"),
        ("lists", {"offset": "-1"}, "offset: must be a whole number 0..1000000000000", "offset"),
        ("lists", {"id": "1"}, "No such List (Convoso error 6002)", "id"),
        ("log", {"user_id": "42"}, "Unknown User Id (Convoso error 6006)", "user_id"),
        ("recordings", {"user": "nobody@x.example"}, "No such User (Convoso error 6006)", "user"),
        (
            "leads",
            {"phone_number": "12"},
            "The phone number is invalid (Convoso error 6008)",
            "phone_number",
        ),
    ],
)
def test_bad_filter_is_a_400_naming_the_field(api, path, query, error, field) -> None:
    status, body = data(api, f"offices/ACME/data/{path}", **query)
    assert (status, body) == (400, {"error": error, "field": field})


def test_unknown_office_or_resource_is_404(api: Api) -> None:
    status, body = data(api, "offices/NOPE/data/leads")
    assert (status, body) == (404, {"error": "no such office: 'NOPE'", "field": "office"})
    status, body = data(api, "offices/NOPE/data")
    assert (status, body) == (404, {"error": "no such office: 'NOPE'", "field": "office"})
    status, body = data(api, "offices/ACME/data/users")
    assert status == 404
    assert body == {
        "error": "no such resource: 'users' (one of leads, lists, campaigns, log, recordings)",
        "field": "resource",
    }


def test_data_routes_do_not_touch_the_journal_or_the_faults(api: Api) -> None:
    api.control("POST", "faults", json={"status": 503})
    assert data(api, "offices/ACME/data/leads")[0] == 200
    assert data(api, "offices/ACME/data")[0] == 200
    assert api.control("GET", "requests").get_json() == {"requests": [], "dropped": 0}


def test_script_in_a_field_comes_back_as_json_text(api: Api) -> None:
    hostile = "<script>alert(1)</script>"
    api.ok("leads/insert", {"list_id": 2701, "phone_number": "5305550199", "first_name": hostile})
    response = api.control(
        "GET", "offices/ACME/data/leads", query_string={"phone_number": "5305550199"}
    )
    assert response.mimetype == "application/json"
    assert response.get_json()["entries"][0]["first_name"] == hostile


# --- the journal's response summary -------------------------------------------------------


def test_journal_keeps_a_bounded_summary_of_the_response(api: Api) -> None:
    small = api.call("campaigns/search").get_data(as_text=True)
    big = api.call("leads/search", {"limit": 50}).get_data()
    first, second = api.control("GET", "requests").get_json()["requests"]
    assert first["response"] == {"bytes": len(small), "body": small, "truncated": False}
    assert second["response"]["bytes"] == len(big) > SUMMARY_CHARS
    assert second["response"]["body"] == big.decode()[:SUMMARY_CHARS]
    assert second["response"]["truncated"] is True


def test_journal_summary_masks_tokens_in_the_body(api: Api, acme: Office) -> None:
    api.ok(
        "leads/insert", {"list_id": 2701, "phone_number": "5305550177", "notes": acme.full_token}
    )
    body = api.call("leads/search", {"phone_number": "5305550177"}).get_data(as_text=True)
    assert acme.full_token in body
    entry = api.control("GET", "requests").get_json()["requests"][-1]
    summary = entry["response"]["body"]
    assert acme.full_token not in summary
    assert f'"notes":"{acme.full_token[:4]}****"' in summary
    assert entry["response"]["bytes"] == len(body.encode()) and entry["response"]["truncated"]


# --- the Control client -----------------------------------------------------------------------


def test_control_client_data_helpers(app: Flask) -> None:
    control = InProcessControl(app)
    page = control.data("leads", list_id=2701, limit=3, offset=1)
    assert (page["office"], page["offset"], page["limit"], len(page["entries"])) == (
        "ACME",
        1,
        3,
        3,
    )
    assert page["filters"] == {"list_id": "2701"}
    assert control.data("campaigns", office="bravo")["office"] == "BRAVO"
    assert control.data_counts("BRAVO")["leads"] == 300
    assert control.requests() == []


def test_serve_prints_the_dashboard_url(capsys) -> None:
    with ThreadedServer(create_app({**TEST_SETTINGS, "leads": 0}), threads=2) as server:
        cli._print_ready(server.url, Settings())
    lines = capsys.readouterr().out.splitlines()
    assert f"dashboard: {server.url}/_mockvoso/ui" in lines
    assert lines.index(f"dashboard: {server.url}/_mockvoso/ui") == len(lines) - 2
