"""mockvoso.testing.client.Control against a live ThreadedServer: every helper, errors, admin token."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from mockvoso.app import create_app
from mockvoso.serving.server import ThreadedServer
from mockvoso.testing.client import Control, ControlError, InProcessControl, MockvosoControl
from mockvoso.testing.intercept import TEST_DEFAULTS, Interception
from mockvoso.testing.pytest_plugin import MockvosoServer

ACME_FULL = "acmefull499bf56dd125ac3f46bb39e0"
ACME_LEADS = "acmeleads1d34a2190e255185d742cbb"
ACME_REPORT = "acmereport6aa5feed2bebcdd1bf068d"
BRAVO_FULL = "bravofull53141221cc10fcfc1111f44"
SMALL = {**TEST_DEFAULTS, "leads": 20}


@pytest.fixture(scope="module")
def live() -> Iterator[ThreadedServer]:
    server = ThreadedServer(create_app(SMALL), threads=4)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def control(live: ThreadedServer) -> Control:
    ctl = Control(live.url + "/")  # a trailing slash is tolerated
    ctl.reset()
    return ctl


def search(ctl: Control, **params: Any) -> requests.Response:
    return requests.post(
        f"{ctl.url}/v1/leads/search", data={"auth_token": ctl.token, **params}, timeout=5
    )


def test_health_offices_and_tokens(control: Control, live: ThreadedServer) -> None:
    assert control.url == live.url
    assert control.health() == {"status": "ok", "version": "0.1.0"}
    assert control.wait_until_healthy(timeout=0) == {"status": "ok", "version": "0.1.0"}
    assert [o["acronym"] for o in control.offices] == ["ACME", "BRAVO"]
    assert control.office == "ACME"
    assert control.token == ACME_FULL
    assert control.token_for("bravo") == BRAVO_FULL
    assert control.token_for(section="log") == ACME_REPORT
    assert control.token_for(section="lists") == ACME_LEADS
    assert control.offices_tokens["ACME"][1] == {
        "token": ACME_LEADS,
        "sections": ["leads", "lists"],
    }
    with pytest.raises(LookupError, match=r"no such office: 'NOPE' \(offices: ACME, BRAVO\)"):
        control.token_for("NOPE")


def test_fault_helpers(control: Control) -> None:
    rule = control.add_fault(endpoint="/v1/leads/search", status=503, times=1)
    assert rule["id"] == "f1"
    assert rule["endpoint"] == "leads/search"
    assert rule["remaining"] == 1
    assert [r["id"] for r in control.faults()] == ["f1"]

    response = search(control)
    assert response.status_code == 503
    assert response.headers["X-Mockvoso-Fault"] == "f1"
    assert response.json() == {"success": False, "code": 503, "text": "Service Unavailable"}
    assert control.faults() == []  # times=1: spent

    second = control.add_fault(error_code=6001)
    third = control.add_fault(latency_ms=1)
    control.remove_fault(second["id"])
    assert [r["id"] for r in control.faults()] == [third["id"]]
    control.clear_faults()
    assert control.faults() == []
    assert search(control).status_code == 200


def test_rate_limit_helpers(control: Control) -> None:
    assert control.get_rate_limit() is None
    assert control.set_rate_limit(2, 60) == {"requests": 2, "per_seconds": 60.0, "scope": "token"}
    statuses = [search(control).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert search(control).headers["Retry-After"] == "30"
    assert control.get_rate_limit() == {"requests": 2, "per_seconds": 60.0, "scope": "token"}
    control.clear_rate_limit()
    assert control.get_rate_limit() is None
    assert search(control).status_code == 200


def test_journal_helpers(control: Control) -> None:
    search(control, limit=1)
    requests.get(f"{control.url}/v1/campaigns/search", params={"auth_token": ACME_FULL}, timeout=5)
    requests.get(f"{control.url}/v1/campaigns/search", params={"auth_token": "bad"}, timeout=5)

    entries = control.requests()
    assert [(e["method"], e["endpoint"], e["status"]) for e in entries] == [
        ("POST", "leads/search", 200),
        ("GET", "campaigns/search", 200),
        ("GET", "campaigns/search", 401),
    ]
    assert entries[0]["params"] == {"auth_token": "acme****", "limit": "1"}
    assert [e["id"] for e in control.requests(endpoint="/v1/campaigns/search")] == [2, 3]
    assert [e["id"] for e in control.requests(status=401)] == [3]
    assert [e["id"] for e in control.requests(limit=1)] == [3]
    assert [e["id"] for e in control.requests(office="acme")] == [1, 2]
    # Filters the server does not know are applied here, before `limit`.
    assert [e["id"] for e in control.requests(method="GET")] == [2, 3]
    assert [e["id"] for e in control.requests(method="GET", limit=1)] == [3]
    control.clear_requests()
    assert control.requests() == []


def test_reset_snapshot_restore(control: Control) -> None:
    def total() -> str:
        return str(search(control).json()["data"]["total"])

    assert total() == "20"
    doc = control.snapshot()
    assert doc["format"] == "mockvoso-snapshot"
    assert sorted(doc["offices"]) == ["ACME", "BRAVO"]
    insert = requests.post(
        f"{control.url}/v1/leads/insert",
        data={"auth_token": ACME_FULL, "list_id": 2701, "phone_number": "5305550101"},
        timeout=5,
    )
    assert insert.json()["success"] is True
    assert total() == "21"
    assert control.restore(doc) == ["ACME", "BRAVO"]
    assert total() == "20"

    requests.post(
        f"{control.url}/v1/leads/insert",
        data={"auth_token": ACME_FULL, "list_id": 2701, "phone_number": "5305550102"},
        timeout=5,
    )
    control.add_fault(latency_ms=1)
    assert control.reset(office="ACME") == {"reset": True, "office": "ACME"}
    assert total() == "20"
    assert len(control.faults()) == 1  # an office reset keeps faults and the journal
    assert control.reset() == {"reset": True, "office": None}
    assert control.faults() == []
    assert control.requests() == []


def test_control_error_carries_the_servers_message(control: Control) -> None:
    with pytest.raises(ControlError) as info:
        control.add_fault(endpoint="leads/search", status=503, fault="drop")
    assert info.value.status == 400
    assert info.value.field == "fault"
    assert info.value.message == (
        "fault: conflicts with status: a rule has at most one of status, error_code, fault"
    )
    assert str(info.value) == f"POST /faults -> HTTP 400: {info.value.message}"

    with pytest.raises(ControlError) as info:
        control.remove_fault("f99")
    assert (info.value.status, info.value.message) == (404, "no such fault rule: f99")

    with pytest.raises(ControlError) as info:
        control.reset(office="NOPE")
    assert (info.value.status, info.value.message) == (404, "no such office: 'NOPE'")

    with pytest.raises(ControlError) as info:
        control.set_rate_limit(0, 60)
    assert info.value.message == "requests: must be an integer >= 1, got 0"


def test_admin_token() -> None:
    app = create_app({**SMALL, "admin_token": "s3cret"})
    with ThreadedServer(app, threads=2) as server:
        anonymous = Control(server.url)
        assert anonymous.health()["status"] == "ok"  # health needs no token
        with pytest.raises(ControlError) as info:
            anonymous.faults()
        assert info.value.status == 401
        assert info.value.message == "missing or wrong X-Mockvoso-Admin-Token header"

        admin = Control(server.url, admin_token="s3cret")
        assert admin.faults() == []
        assert admin.token == ACME_FULL


def test_wait_until_healthy_times_out_on_a_closed_port() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    control = Control(f"http://127.0.0.1:{port}", timeout=1)
    with pytest.raises(TimeoutError, match=rf"mockvoso at http://127.0.0.1:{port} not healthy"):
        control.wait_until_healthy(timeout=0)


def test_in_process_control_matches_http() -> None:
    app = create_app({**SMALL, "admin_token": "s3cret"})
    local = InProcessControl(app, url="http://example")
    assert local.token == ACME_FULL
    assert local.add_fault(status=500)["id"] == "f1"  # the app's admin token is used
    assert [r["id"] for r in local.faults()] == ["f1"]
    with pytest.raises(ControlError) as info:
        local.remove_fault("nope")
    assert info.value.status == 404


def test_one_helper_set_everywhere() -> None:
    helpers = {
        name
        for name in dir(MockvosoControl)
        if not name.startswith("_") and name not in {"url", "admin_token"}
    }
    assert {
        "add_fault",
        "clear_faults",
        "set_rate_limit",
        "clear_rate_limit",
        "requests",
        "reset",
        "snapshot",
        "restore",
        "token",
        "office",
        "offices",
        "offices_tokens",
        "wait_until_healthy",
    } <= helpers
    for cls in (Control, InProcessControl, MockvosoServer, Interception):
        assert issubclass(cls, MockvosoControl)
        # No subclass redefines a helper: one implementation, one behaviour.
        assert not helpers & set(vars(cls)), cls
