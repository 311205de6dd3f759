"""`mockvoso proxy`: byte-for-byte forwarding, write refusal, faults in front, journal, cassettes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from contract_validation import ValidatingClient
from flask import Flask
from flask.testing import FlaskClient
from upstream_fakes import FakeUpstream, Reply, fake_upstream, json_reply, record_account

from mockvoso.app import create_app
from mockvoso.config import Settings
from mockvoso.serving.server import ThreadedServer
from mockvoso.upstream.proxy import WRITE_REFUSED, ProxyOptions, create_proxy_app

ODD_BYTES = b'{"success":true ,  "data":[ {"id":7,"name":"Odd \\u00e9 spacing"} ]}\n'
TOKEN = "upstream-token-abcdef123"


def _proxy(url: str, **options: Any) -> Flask:
    return create_proxy_app(
        Settings(leads=0, quiet=True), options=ProxyOptions(url, timeout=1, **options)
    )


def _raw(app: Flask) -> FlaskClient:
    # Passed-through answers are the upstream's: not bound by mockvoso's contract.
    return FlaskClient(app, app.response_class)


def _checked(app: Flask) -> FlaskClient:
    return ValidatingClient(app, app.response_class)


@pytest.fixture
def odd() -> Iterator[FakeUpstream]:
    routes = {
        "/v1/campaigns/search": Reply(200, ODD_BYTES, "application/json; charset=utf-8"),
        "/v1/users/search": Reply(200, b'{"success":true,"data":{"results":{}}}'),
        # An action mockvoso does not have (nor its contract): forwarded all the same.
        "/v1/teams/search": json_reply({"success": True, "data": [{"team": "Closers"}]}),
        "/v1/leads/search": json_reply({"success": True, "data": {"total": 3}}),
        "/v1/leads/insert": json_reply({"success": True, "data": {"lead_id": "1"}}),
        "/v1/log/retrieve": Reply(hang=True),
    }
    with fake_upstream(routes) as fake:
        yield fake


def test_answers_pass_through_byte_for_byte(odd: FakeUpstream) -> None:
    client = _raw(_proxy(odd.url))
    response = client.post("/v1/campaigns/search", data={"auth_token": TOKEN, "x": "1 2"})
    assert response.status_code == 200
    assert response.data == ODD_BYTES
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    sent = odd.seen[-1]
    assert (sent.method, sent.path, sent.body) == (
        "POST",
        "/v1/campaigns/search",
        f"auth_token={TOKEN}&x=1+2".encode(),
    )
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"

    got = client.get(f"/v1/campaigns/search?auth_token={TOKEN}&limit=3")
    assert got.data == ODD_BYTES
    assert (odd.seen[-1].method, odd.seen[-1].path) == (
        "GET",
        f"/v1/campaigns/search?auth_token={TOKEN}&limit=3",
    )
    # A Bearer token passes through as it came.
    other = client.post("/v1/users/search", headers={"Authorization": f"Bearer {TOKEN}"})
    assert other.data == b'{"success":true,"data":{"results":{}}}'
    assert odd.seen[-1].headers["Authorization"] == f"Bearer {TOKEN}"
    # An action mockvoso does not implement still reaches the upstream.
    unknown = client.post("/v1/teams/search", data={"auth_token": TOKEN})
    assert (unknown.status_code, unknown.get_json()) == (
        200,
        {"success": True, "data": [{"team": "Closers"}]},
    )
    assert (odd.seen[-1].path, odd.seen[-1].body) == (
        "/v1/teams/search",
        f"auth_token={TOKEN}".encode(),
    )


def test_the_journal_holds_the_verdict_with_the_token_masked(odd: FakeUpstream) -> None:
    app = _proxy(odd.url)
    _raw(app).post("/v1/leads/search", data={"auth_token": TOKEN})
    _raw(app).post("/v1/users/search", data={"auth_token": TOKEN})
    _raw(app).post("/v1/teams/search", data={"auth_token": TOKEN})
    journal = _checked(app).get("/_mockvoso/requests").get_json()["requests"]
    assert [e["endpoint"] for e in journal] == ["leads/search", "users/search", "teams/search"]
    first = journal[0]
    assert first["params"] == {"auth_token": "upst****"}
    assert first["status"] == 200
    assert first["upstream"]["verdict"] == "differs"
    assert first["upstream"]["problems"][0].startswith("$: oneOf: matches no allowed shape")
    # users/search is in the contract now: a reply without the page keys differs.
    assert journal[1]["upstream"] == {
        "verdict": "differs",
        "problems": [
            "$: oneOf: matches no allowed shape"
            " ($.data: required key missing: limit, offset, total)"
        ],
    }
    assert journal[2]["upstream"] == {"verdict": "not in contract", "problems": []}
    assert TOKEN not in json.dumps(journal)


def test_writes_are_refused_unless_allowed(odd: FakeUpstream) -> None:
    app = _proxy(odd.url)
    for action in ("leads/insert", "dnc/insert", "lists/delete", "teams/update"):
        # teams/update is not in mockvoso's contract: only the others are validated.
        client = _raw(app) if action == "teams/update" else _checked(app)
        response = client.post(
            f"/v1/{action}", data={"auth_token": TOKEN, "phone_number": "5551234567"}
        )
        assert response.status_code == 403
        assert response.get_json() == {
            "success": False,
            "code": 403,
            "text": WRITE_REFUSED.format(action=action),
        }
    assert odd.seen == []
    allowed = _raw(_proxy(odd.url, allow_writes=True))
    response = allowed.post("/v1/leads/insert", data={"auth_token": TOKEN})
    assert response.get_json() == {"success": True, "data": {"lead_id": "1"}}
    assert odd.actions() == ["leads/insert"]


def test_faults_and_rate_limits_apply_in_front_of_the_upstream(odd: FakeUpstream) -> None:
    app = _proxy(odd.url)
    control = _checked(app)
    rule = control.post(
        "/_mockvoso/faults", json={"endpoint": "leads/search", "status": 503, "times": 1}
    )
    assert rule.status_code == 201
    injected = _checked(app).post("/v1/leads/search", data={"auth_token": TOKEN})
    assert injected.status_code == 503
    assert injected.headers["X-Mockvoso-Fault"] == rule.get_json()["fault"]["id"]
    assert odd.seen == []  # the fault answered in front: the upstream never saw the call
    passed = _raw(app).post("/v1/leads/search", data={"auth_token": TOKEN})
    assert passed.get_json() == {"success": True, "data": {"total": 3}}
    assert odd.actions() == ["leads/search"]

    limit = control.put("/_mockvoso/rate-limit", json={"requests": 1, "per_seconds": 60})
    assert limit.status_code == 200
    assert _raw(app).post("/v1/leads/search", data={"auth_token": TOKEN}).status_code == 200
    limited = _checked(app).post("/v1/leads/search", data={"auth_token": TOKEN})
    assert limited.status_code == 429
    assert odd.actions() == ["leads/search", "leads/search"]


def test_a_hanging_upstream_is_a_502_after_the_timeout(odd: FakeUpstream) -> None:
    response = _checked(_proxy(odd.url)).post("/v1/log/retrieve", data={"auth_token": TOKEN})
    assert response.status_code == 502
    assert response.get_json() == {
        "success": False, "code": 502, "text": "mockvoso proxy: no answer within 1 s",
    }  # fmt: skip


@pytest.fixture(scope="module")
def upstream_mock() -> Iterator[tuple[str, str, Flask]]:
    """A second mockvoso on a loopback port: the 'real' account with personal data."""
    app = create_app(Settings(leads=30, seed=2468, clock="2026-01-01T00:00:00", quiet=True))
    grants = app.extensions["mockvoso"].world.tokens.values()
    token = sorted(grants, key=lambda g: -len(g.sections))[0].token
    with ThreadedServer(app, threads=4) as server:
        yield server.url, token, app


def test_cassettes_keep_no_phone_email_name_address_or_token(
    upstream_mock: tuple[str, str, Flask], tmp_path: Path
) -> None:
    url, token, _ = upstream_mock
    answers = record_account(_proxy(url, record=str(tmp_path)), token)
    personal: set[str] = {token, "5550001111", "jane.doe@acme.example"}

    def collect(doc: Any, key: str = "") -> None:
        if isinstance(doc, dict):
            for k, v in doc.items():
                collect(v, k)
        elif isinstance(doc, list):
            for v in doc:
                collect(v, key)
        elif (
            isinstance(doc, str)
            and len(doc) >= 5
            and (
                re.search(
                    r"phone|dialed|caller_id|email|first_name|last_name|address|comment|url", key
                )
                or key == "user"
            )
        ):
            personal.add(doc)

    for answer in answers:
        collect(answer)
    assert len(personal) > 150
    files = sorted(tmp_path.iterdir())
    assert [f.name for f in files] == [
        "000001-campaigns_search.json", "000002-lists_search.json", "000003-leads_search.json",
        "000004-log_retrieve.json", "000005-users_recordings.json", "000006-leads_search.json",
    ]  # fmt: skip
    for path in files:
        text = path.read_text()
        leaked = sorted(v for v in personal if v in text)
        assert leaked == [], path.name
    lead = json.loads(files[2].read_text())["json"]["data"]["entries"][0]
    original = answers[2]["data"]["entries"][0]
    assert lead.keys() == original.keys()  # the shape survives
    assert re.fullmatch(r"0{10}", lead["phone_number"])
    assert lead["id"] == original["id"] and lead["status"] == original["status"]
    cassette = json.loads(files[5].read_text())
    assert cassette["params"] == {"phone_number": "0000000000"}  # token gone, filter shaped
    assert (cassette["action"], cassette["method"], cassette["status"]) == (
        "leads/search",
        "POST",
        200,
    )


def test_the_proxy_command_serves_with_the_serve_machinery(odd: FakeUpstream) -> None:
    cmd = [sys.executable, "-m", "mockvoso", "proxy", "--upstream", odd.url,
           "--server", "waitress", "--port", "0", "--leads", "0", "--threads", "2"]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()  # blocks until ready (or the process dies)
        match = re.search(r"at (http://127\.0\.0\.1:\d+)/v1", first)
        assert match, first + (
            proc.stderr.read() if proc.poll() is not None and proc.stderr else ""
        )
        request = urllib.request.Request(
            f"{match.group(1)}/v1/campaigns/search", data=f"auth_token={TOKEN}".encode()
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.read() == ODD_BYTES
        refused = urllib.request.Request(f"{match.group(1)}/v1/leads/insert", data=b"a=1")
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(refused, timeout=10)
        assert info.value.code == 403
    finally:
        proc.terminate()
        proc.wait(10)
    assert odd.actions() == ["campaigns/search"]
