"""The dashboard in a real headless Chromium (the machine's), driven by Playwright for Python."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
import requests

from mockvoso.app import create_app
from mockvoso.client import Control
from mockvoso.serving.server import ThreadedServer

# Debian's chromium: Playwright's own browser download is not reachable from CI.
CHROMIUM = os.environ.get("MOCKVOSO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SETTINGS = {"seed": 1234, "leads": 300, "clock": "2026-01-01T00:00:00"}
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
# What Chromium logs for a fetch answered 4xx: expected where a test provokes one.
HTTP_ERROR_LOG = re.compile(
    r"^Failed to load resource: the server responded with a status of 4\d\d"
)


def require_chromium() -> None:
    """Skip with the reason locally; fail in CI, where a skipped browser test proves nothing."""
    problem = None
    if find_spec("playwright") is None:
        problem = "playwright is not installed (pip install -e '.[test]')"
    elif not os.access(CHROMIUM, os.X_OK):
        problem = f"no Chromium at {CHROMIUM} (apt-get install chromium, or set MOCKVOSO_CHROMIUM)"
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests must run in CI: {problem}", pytrace=False)
    pytest.skip(problem)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """The machine's Chromium, launched once for this module.

    Module scope, not session: Playwright's sync API keeps an asyncio loop running in this
    thread while it is started, which breaks the suite's own asyncio tests. pytest tears
    a module fixture down before any test of another module runs (under pytest-xdist or
    a shuffled order too), so those never see it. pytest-playwright is not used: its
    Playwright lives for the whole session, and its runtest hook breaks the plugin tests'
    in-process pytester runs.
    """
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh context and page per test (1280x800, downloads allowed)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    yield context.new_page()
    context.close()


@dataclass
class Live:
    """A mockvoso on a real socket, and what the test needs to drive it."""

    url: str
    control: Control
    token: str

    def v1(self, action: str, **params: Any) -> requests.Response:
        return requests.post(
            f"{self.url}/v1/{action}", data={"auth_token": self.token, **params}, timeout=5
        )


@pytest.fixture(scope="session")
def live_server() -> Iterator[ThreadedServer]:
    server = ThreadedServer(create_app(SETTINGS), threads=8)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def live(live_server: ThreadedServer) -> Live:
    control = Control(live_server.url)
    control.reset()
    return Live(live_server.url, control, control.token)


@dataclass
class Guard:
    """What the page did that a test must see: console errors, page errors, foreign requests."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    allow_http_errors: bool = False

    def unexpected_console_errors(self) -> list[str]:
        return [
            text
            for text in self.console_errors
            if not (self.allow_http_errors and HTTP_ERROR_LOG.match(text))
        ]


def guard_page(page: Any, origin: str) -> Guard:
    """Abort and record any request that leaves `origin`; record console and page errors.

    The page's Content-Security-Policy already blocks a foreign fetch, image or script
    before it becomes a request; Chromium logs each such violation as a console error,
    which fails the test too. The route catches whatever CSP would let through.
    """
    guard = Guard(origin)

    def route(route: Any) -> None:
        url = route.request.url
        if url == origin or url.startswith(origin + "/"):
            route.continue_()
        else:
            guard.foreign.append(url)
            route.abort()

    page.context.route("**/*", route)
    page.on(
        "console",
        lambda msg: guard.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: guard.page_errors.append(str(exc)))
    return guard


@pytest.fixture
def guard(page: Any, live: Live) -> Iterator[Guard]:
    """Every browser test: nothing outside the mock's origin, no script error, no stray log."""
    watched = guard_page(page, live.url)
    yield watched
    assert watched.foreign == [], "the page requested something outside the mock's origin"
    assert watched.page_errors == []
    assert watched.unexpected_console_errors() == []


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as a test artifact (tests/artifacts/, git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- the tests ------------------------------------------------------------------------------

if find_spec("playwright") is not None:
    from playwright.sync_api import expect
else:  # pragma: no cover - the page fixture skips (or fails in CI) before expect is needed
    expect = None

# The journal's 1 s poll must show a request within this (the promise).
JOURNAL_DEADLINE_MS = 2000


def open_view(page: Any, live: Live, view: str) -> None:
    page.goto(f"{live.url}/_mockvoso/ui#{view}")
    # The office selects are filled once the first control call answered.
    expect(page.locator("#data-office option[value=ACME]")).to_have_count(1)


def test_browser_lands_on_the_offices_with_masked_tokens(page, live, guard) -> None:
    page.goto(live.url + "/")  # a browser asking for / is sent to the dashboard
    assert page.url == f"{live.url}/_mockvoso/ui"
    acme = page.locator("article.office[data-office=ACME]")
    expect(acme.locator("h3")).to_have_text("ACME — Acme Health Insurance")
    expect(acme.locator("dl.counts dd").first).to_have_text("300")
    tokens = acme.locator("button.token")
    expect(tokens).to_have_count(3)
    expect(tokens.first).to_have_text("acme****")
    full_tokens = [t["token"] for office in live.control.offices for t in office["tokens"]]
    html = page.content()
    assert not [token for token in full_tokens if token in html]
    expect(page.locator("#api-base")).to_have_text(f"{live.url}/v1")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live.url)
    tokens.first.click()
    expect(page.locator("#notice")).to_have_text("Token acme**** copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == live.token
    screenshot(page, "offices")
    # Narrow window: still one column, nothing wider than the screen.
    page.set_viewport_size({"width": 380, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "offices-narrow")


def test_a_v1_call_appears_in_the_journal_within_two_seconds(page, live, guard) -> None:
    open_view(page, live, "journal")
    expect(page.locator("#journal-summary")).to_contain_text("No requests yet")
    assert live.v1("leads/search", first_name="Ada").status_code == 200
    row = page.locator("#journal-table tbody tr[data-endpoint='leads/search']")
    expect(row).to_have_count(1, timeout=JOURNAL_DEADLINE_MS)
    expect(row.locator("td").nth(5)).to_have_text("200")
    anonymous = requests.get(f"{live.url}/v1/lists/search", timeout=5)
    assert anonymous.status_code == 401
    bad = page.locator("#journal-table tbody tr[data-endpoint='lists/search']")
    expect(bad).to_have_count(1, timeout=JOURNAL_DEADLINE_MS)
    expect(bad).to_have_class("is-error")
    # Newest first.
    expect(page.locator("#journal-table tbody tr").first).to_have_attribute(
        "data-endpoint", "lists/search"
    )
    # Keyboard: the row's button takes Enter, and keeps focus across the 1 s refreshes.
    row.get_by_role("button").focus()
    page.keyboard.press("Enter")
    live.v1("campaigns/search")
    expect(page.locator("#journal-table tbody tr")).to_have_count(3, timeout=JOURNAL_DEADLINE_MS)
    expect(row.get_by_role("button")).to_be_focused()
    params = page.locator("#journal-params")
    expect(params).to_contain_text('"first_name": "Ada"')
    expect(params).to_contain_text(f'"auth_token": "{live.token[:4]}****"')
    assert live.token not in params.inner_text()
    expect(page.locator("#journal-response")).to_contain_text('"success": true')
    # Filter by action: the server's own journal filter.
    page.select_option("#journal-endpoint", "lists/search")
    expect(page.locator("#journal-table tbody tr")).to_have_count(1)
    expect(page.locator("#chart-summary")).to_contain_text("Last minute: 3 requests, 1 not 2xx")
    page.select_option("#journal-endpoint", "")
    screenshot(page, "journal")


def test_fault_rule_from_the_form_hits_and_deleting_it_restores(page, live, guard) -> None:
    open_view(page, live, "faults")
    page.locator("#fault-form").get_by_label("Action").fill("leads/insert")
    page.get_by_label("HTTP status (400 to 599)").fill("500")
    page.get_by_role("button", name="Add rule").click()
    rule = page.locator("#faults-table tr[data-rule=f1]")
    expect(rule).to_contain_text("HTTP 500")
    expect(page.locator("#notice")).to_have_text("Rule f1 added: leads/insert → HTTP 500.")
    failed = live.v1("leads/insert", list_id=2701, phone_number="5305550101")
    assert failed.status_code == 500
    assert failed.headers["X-Mockvoso-Fault"] == "f1"
    assert failed.json() == {"success": False, "code": 500, "text": "Failed to process the request"}
    screenshot(page, "faults")
    page.get_by_role("button", name="Delete rule f1").click()
    expect(page.locator("#faults-table tr[data-rule]")).to_have_count(0)
    assert live.control.faults() == []
    ok = live.v1("leads/insert", list_id=2701, phone_number="5305550101")
    assert ok.status_code == 200 and ok.json()["success"] is True
    assert "X-Mockvoso-Fault" not in ok.headers


def test_bad_form_value_shows_the_servers_error_next_to_the_field(page, live, guard) -> None:
    guard.allow_http_errors = True  # the 400s are the point
    open_view(page, live, "faults")
    probability = page.get_by_label("Probability (0 to 1)")
    probability.fill("2")
    page.get_by_role("button", name="Add rule").click()
    error = page.locator("#fault-error-probability")
    expect(error).to_have_text("probability: must be a number between 0 and 1, got 2")
    expect(probability).to_have_attribute("aria-invalid", "true")
    assert live.control.faults() == []
    probability.fill("")
    page.get_by_label("HTTP status (400 to 599)").fill("abc")
    page.get_by_role("button", name="Add rule").click()
    expect(page.locator("#fault-error-status")).to_contain_text("status: must be")
    expect(error).to_have_text("")
    expect(probability).not_to_have_attribute("aria-invalid", "true")
    assert live.control.faults() == []


def test_reset_from_the_page_restores_a_deleted_lead(page, live, guard) -> None:
    open_view(page, live, "faults")
    assert live.v1("leads/delete", lead_id=900000001).json() == {"success": True}
    found = live.v1("leads/search", lead_id=900000001).json()["data"]["total"]
    assert found == "0"
    page.get_by_label("What to reset").select_option("")
    page.get_by_role("button", name="Reset", exact=True).click()
    expect(page.locator("#notice")).to_have_text("Everything reset to the seed.")
    assert live.v1("leads/search", lead_id=900000001).json()["data"]["total"] == "1"


def test_data_browser_shows_records_as_inert_text(page, live, guard) -> None:
    hostile_first = '<img src=x onerror="window.pwned=1">'
    hostile_last = "<script>window.pwned=2</script>"
    inserted = live.v1(
        "leads/insert",
        list_id=2701,
        phone_number="5305550142",
        first_name=hostile_first,
        last_name=hostile_last,
    )
    lead_id = inserted.json()["data"]["lead_id"]
    open_view(page, live, "data")
    expect(page.locator("#data-summary")).to_have_text("leads 1 to 25 of 301")
    page.get_by_label("phone_number").fill("5305550142")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#data-summary")).to_have_text("leads 1 to 1 of 1")
    row = page.locator("#data-table tbody tr")
    expect(row.locator("td").nth(3)).to_have_text(hostile_first)
    expect(row.locator("td").nth(4)).to_have_text(hostile_last)
    row.get_by_role("button", name=f"Show leads {lead_id}").click()
    expect(page.locator("#data-record")).to_contain_text('"first_name": "<img src=x')
    assert page.evaluate("window.pwned") is None
    assert page.locator("#data-table img, #data-table script").count() == 0
    # Same filters, same errors as the API: shown next to the field.
    guard.allow_http_errors = True
    page.get_by_label("list_id").fill("abc")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#data-error-list_id")).to_have_text(
        "Invalid parameter list_id: Not a valid whole number: 'abc'."
    )
    page.get_by_label("list_id").fill("")
    page.get_by_label("phone_number").fill("")
    page.get_by_label("Resource").select_option("lists")
    expect(page.locator("#data-summary")).to_have_text("lists 1 to 6 of 6")
    screenshot(page, "data")
    assert live.control.requests(endpoint="leads/search") == []  # browsing is not journalled


def test_admin_token_prompt(page, live) -> None:
    server = ThreadedServer(
        create_app({**SETTINGS, "leads": 5, "admin_token": "s3cret"}), threads=4
    )
    url = server.start()
    try:
        guard = guard_page(page, url)
        page.goto(f"{url}/_mockvoso/ui")
        prompt = page.locator("#auth")
        expect(prompt).to_be_visible()
        expect(page.get_by_role("textbox", name="Admin token")).to_be_focused()
        page.get_by_role("textbox", name="Admin token").fill("wrong")
        page.get_by_role("button", name="Use token").click()
        expect(page.locator("#auth-error")).to_have_text("That token was refused.")
        page.get_by_role("textbox", name="Admin token").fill("s3cret")
        page.get_by_role("button", name="Use token").click()
        expect(page.locator("article.office")).to_have_count(2)
        expect(prompt).to_be_hidden()
        screenshot(page, "admin-token")
        page.reload()  # asked once: the tab keeps it
        expect(page.locator("article.office")).to_have_count(2)
        expect(prompt).to_be_hidden()
        stored = page.evaluate("sessionStorage.getItem('mockvoso-admin-token')")
        assert stored == "s3cret"
        assert guard.foreign == [] and guard.page_errors == []
        guard.allow_http_errors = True  # the 401s before the token was given
        assert guard.unexpected_console_errors() == []
    finally:
        page.close()  # no poll may outlive the server
        server.stop()


def test_snapshot_download_and_upload_round_trip(page, live, guard, tmp_path) -> None:
    open_view(page, live, "faults")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download snapshot").click()
    saved = tmp_path / "snapshot.json"
    download_info.value.save_as(saved)
    doc = json.loads(saved.read_text())
    assert (doc["format"], doc["version"], sorted(doc["offices"])) == (
        "mockvoso-snapshot",
        1,
        ["ACME", "BRAVO"],
    )
    live.v1("leads/insert", list_id=2701, phone_number="5305550188")
    assert live.v1("leads/search", phone_number="5305550188").json()["data"]["total"] == "1"
    page.get_by_label("Snapshot file to restore").set_input_files(str(saved))
    page.get_by_role("button", name="Restore snapshot").click()
    expect(page.locator("#notice")).to_have_text("Snapshot restored: ACME, BRAVO.")
    assert live.v1("leads/search", phone_number="5305550188").json()["data"]["total"] == "0"


def test_preset_arms_a_500_in_two_clicks_and_rate_limit_form(page, live, guard) -> None:
    guard.allow_http_errors = True  # one refused rate limit below
    open_view(page, live, "faults")
    page.get_by_role("button", name="500 on leads/insert").click()
    expect(page.get_by_role("button", name="Add rule")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#faults-table tr[data-rule=f1]")).to_contain_text("HTTP 500")
    assert live.control.faults()[0]["endpoint"] == "leads/insert"
    page.get_by_label("Requests", exact=True).fill("3")
    page.get_by_label("Per seconds").fill("0")
    page.get_by_role("button", name="Set limit").click()
    expect(page.locator("#rate-error-per_seconds")).to_have_text(
        "per_seconds: must be a number > 0, got 0"
    )
    assert live.control.get_rate_limit() is None
    page.get_by_label("Per seconds").fill("60")
    page.get_by_role("button", name="Set limit").click()
    expect(page.locator("#rate-current")).to_have_text("In force: 3 requests per 60 s per token.")
    assert live.control.get_rate_limit() == {"requests": 3, "per_seconds": 60.0, "scope": "token"}
    page.get_by_role("button", name="Remove limit").click()
    expect(page.locator("#rate-current")).to_have_text("No rate limit.")
    assert live.control.get_rate_limit() is None


# --- clock, dialer and webhooks -------------------------------------------------------------


def control_post(live: Live, path: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = requests.post(f"{live.url}/_mockvoso/{path}", json=body, timeout=15)
    assert answer.status_code in (200, 201), answer.text
    result: dict[str, Any] = answer.json()
    return result


def test_clock_and_dialer_from_the_page(page, live, guard) -> None:
    guard.allow_http_errors = True  # one refused clock move below
    control_post(live, "clock", {"set": "2026-03-01 09:00:00", "freeze": True})
    open_view(page, live, "clock")
    expect(page.locator("#clock-now")).to_have_text("2026-03-01 09:00:00")
    expect(page.locator("#clock-state")).to_have_text("(frozen)")
    page.get_by_label("Advance by (seconds)").fill("3600")
    page.get_by_role("button", name="Move clock").click()
    expect(page.locator("#clock-now")).to_have_text("2026-03-01 10:00:00")
    assert requests.get(f"{live.url}/_mockvoso/clock", timeout=5).json() == {
        "now": "2026-03-01 10:00:00",
        "frozen": True,
    }
    when = page.get_by_label("Set to (YYYY-MM-DD HH:MM:SS)")
    when.fill("2026-01-01 00:00:00")
    page.get_by_role("button", name="Move clock").click()
    expect(page.locator("#clock-error-set")).to_have_text(
        "set: 2026-01-01 00:00:00 is before now (2026-03-01 10:00:00); "
        "the clock never moves backwards"
    )
    expect(when).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#clock-now")).to_have_text("2026-03-01 10:00:00")
    when.fill("")

    log_before = live.control.data_counts("ACME")["log"]
    page.get_by_label("Number of calls").fill("5")
    page.get_by_role("button", name="Simulate calls").click()
    summary = page.locator("#simulate-summary")
    expect(summary).to_have_text(re.compile(r"^ACME: 5 calls made, \d+ recordings?\.$"))
    assert live.control.data_counts("ACME")["log"] == log_before + 5
    # The call log's default window is the office's today: on 2026-03-01, the 5 calls only.
    newest = live.control.data("log", "ACME")
    assert newest["total"] == 5
    made: dict[str, int] = {}
    for row in newest["entries"]:
        made[row["status"]] = made.get(row["status"], 0) + 1
    shown = page.locator("#simulate-table tbody tr")
    assert {
        shown.nth(i).locator("td").nth(0).inner_text(): int(
            shown.nth(i).locator("td").nth(1).inner_text()
        )
        for i in range(shown.count())
    } == made
    screenshot(page, "clock-dialer")
    # The calls took time: the clock moved on from 10:00:00 (frozen, so only by them).
    expect(page.locator("#clock-now")).not_to_have_text("2026-03-01 10:00:00")
    page.get_by_role("button", name="Show in the call log").click()
    expect(page.locator("#data-summary")).to_have_text("log 1 to 5 of 5")
    ids = page.locator("#data-table tbody tr td:first-child")
    expect(ids).to_have_text([str(row["id"]) for row in newest["entries"]])
    page.goto(f"{live.url}/_mockvoso/ui#clock")
    # An advance that dials: the agents' calls over the time skipped, in the office counts.
    frozen_at = requests.get(f"{live.url}/_mockvoso/clock", timeout=5).json()["now"]
    later = datetime.strptime(frozen_at, "%Y-%m-%d %H:%M:%S") + timedelta(seconds=1800)
    page.get_by_label("Advance by (seconds)").fill("1800")
    page.get_by_label("Dial through the time skipped").check()
    page.get_by_role("button", name="Move clock").click()
    expect(page.locator("#notice")).to_have_text(
        f"Clock now {later:%Y-%m-%d %H:%M:%S}; the dialer worked through the time skipped."
    )
    dialled = live.control.data_counts("ACME")["log"]
    assert dialled > log_before + 5
    page.goto(f"{live.url}/_mockvoso/ui#offices")
    counts = page.locator("dl.counts[data-office=ACME]")
    expect(counts.locator("div", has_text="log").locator("dd")).to_have_text(str(dialled))
    page.goto(f"{live.url}/_mockvoso/ui#clock")
    page.get_by_role("button", name="Unfreeze clock").click()
    expect(page.locator("#clock-state")).to_have_text("(running)")
    assert requests.get(f"{live.url}/_mockvoso/clock", timeout=5).json()["frozen"] is False


def test_webhook_receiver_registered_in_the_page_gets_a_lead_insert(page, live, guard) -> None:
    open_view(page, live, "clock")
    expect(page.locator("#webhooks-table tbody")).to_have_text("No receivers.")
    page.get_by_role("button", name="Use it").click()
    expect(page.get_by_label("URL", exact=True)).to_have_value(f"{live.url}/convoso-webhook")
    for event in ("lead.updated", "lead.deleted", "call.completed", "callback.due"):
        page.get_by_label(event).uncheck()
    page.get_by_label("Format").select_option("form")
    page.get_by_label("Fields (optional").fill("phone=phone_number\nlead=id")
    page.get_by_role("button", name="Register receiver").click()
    receiver = page.locator("#webhooks-table tr[data-id=w1]")
    expect(receiver.locator("td")).to_have_text(
        ["w1", "ACME", f"{live.url}/convoso-webhook", "lead.inserted", "form",
         "phone=phone_number, lead=id", "Delete"]
    )  # fmt: skip
    lead_id = live.v1("leads/insert", list_id=2701, phone_number="5305550177").json()["data"][
        "lead_id"
    ]
    assert control_post(live, "webhooks/flush", {}) == {"pending": 0}
    delivered = page.locator("#deliveries-table tbody tr")
    expect(delivered).to_have_count(1)
    expect(delivered.locator("td").nth(3)).to_have_text("delivered")
    expect(delivered.locator("td")).to_have_text(
        [re.compile(r"^d\d+$"), "w1", "lead.inserted", "delivered", "1", "200", "", "",
         re.compile(r"^2026-")]
    )  # fmt: skip
    received = page.locator("#received-table tbody tr")
    expect(received).to_have_count(1)
    expect(received.locator("td").nth(2)).to_have_text("lead.inserted")
    expect(received.locator("td").nth(3)).to_have_text("form")
    expect(received.locator("td").nth(4)).to_have_text(
        json.dumps({"phone": "5305550177", "lead": str(lead_id)}, separators=(",", ":"))
    )
    received.get_by_role("button").click()
    expect(page.locator("#webhooks-detail")).to_contain_text(f"phone=5305550177&lead={lead_id}")
    screenshot(page, "clock-webhooks")
    page.set_viewport_size({"width": 380, "height": 800})  # narrow: nothing wider than it
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Delete receiver w1").click()
    expect(page.locator("#webhooks-table tbody")).to_have_text("No receivers.")
    assert requests.get(f"{live.url}/_mockvoso/webhooks", timeout=5).json() == {"webhooks": []}


def test_bad_webhook_registration_shows_the_servers_error_next_to_the_field(
    page, live, guard
) -> None:
    guard.allow_http_errors = True  # the 400s are the point
    open_view(page, live, "clock")
    url = page.get_by_label("URL", exact=True)
    url.fill("ftp://example.com/hook")
    page.get_by_role("button", name="Register receiver").click()
    expect(page.locator("#webhook-error-url")).to_have_text(
        "url: expected an http:// or https:// URL, got 'ftp://example.com/hook'"
    )
    expect(url).to_have_attribute("aria-invalid", "true")
    url.fill(f"{live.url}/convoso-webhook")
    fields = page.get_by_label("Fields (optional")
    fields.fill("phone=telephone")
    page.get_by_role("button", name="Register receiver").click()
    expect(page.locator("#webhook-error-fields")).to_have_text(
        "fields.phone: unknown catalogue field 'telephone'"
    )
    expect(fields).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#webhook-error-url")).to_have_text("")
    assert requests.get(f"{live.url}/_mockvoso/webhooks", timeout=5).json() == {"webhooks": []}
