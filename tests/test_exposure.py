"""Safe exposure (SECURITY.md): an open control plane off loopback is refused, tokens stay
out of the journal, and no path parameter reaches the filesystem."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from mockvoso.app import create_app
from mockvoso.serving import cli
from mockvoso.serving.validate import is_loopback
from mockvoso.wire import ADMIN_HEADER

ADMIN = "s3cret-admin-token-value"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),
        ("192.168.1.20", False),
        ("mock.example.com", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    calls: list[Any] = []
    monkeypatch.setattr("mockvoso.serving.server.serve", lambda s, **k: calls.append(s) or 0)
    for name in ("MOCKVOSO_ADMIN_TOKEN", "MOCKVOSO_ALLOW_OPEN_CONTROL", "MOCKVOSO_HOST"):
        monkeypatch.delenv(name, raising=False)
    return calls


def test_open_control_plane_off_loopback_is_refused(
    served: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["serve", "--host", "0.0.0.0", "--leads", "5"]) == 2
    assert served == []
    assert capsys.readouterr().err == (
        "mockvoso: host: 0.0.0.0 is reachable from other machines and the control plane "
        "/_mockvoso would be open to them: give --admin-token TOKEN, or --allow-open-control "
        "to accept that (see SECURITY.md)\n"
    )


def test_admin_token_opens_a_public_host_quietly(
    served: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["serve", "--host", "0.0.0.0", "--leads", "5", "--admin-token", ADMIN, "--quiet"]
    assert cli.main(args) == 0
    assert [s.admin_token for s in served] == [ADMIN]
    assert capsys.readouterr().err == ""


def test_allow_open_control_starts_with_a_warning(
    served: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["serve", "--host", "0.0.0.0", "--port", "8123", "--leads", "5", "--allow-open-control"]
    assert cli.main(args) == 0
    assert len(served) == 1
    assert capsys.readouterr().err == (
        "mockvoso: warning: the control plane /_mockvoso is open to anyone who can reach "
        "0.0.0.0:8123 (no --admin-token)\n"
    )


def test_loopback_needs_nothing(served: list[Any], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serve", "--leads", "5"]) == 0
    assert len(served) == 1 and capsys.readouterr().err == ""


def test_admin_token_is_never_echoed_or_journaled() -> None:
    app = create_app({"leads": 5, "admin_token": ADMIN})
    client = app.test_client()
    wrong = client.get("/_mockvoso/offices", headers={ADMIN_HEADER: ADMIN + "x"})
    assert wrong.status_code == 401 and ADMIN.encode() not in wrong.data
    headers = {ADMIN_HEADER: ADMIN}
    token = client.get("/_mockvoso/offices", headers=headers).json["offices"][0]["tokens"][0]
    api = client.post("/v1/leads/search", data={"auth_token": token["token"], "limit": "1"})
    assert api.status_code == 200
    journal = client.get("/_mockvoso/requests", headers=headers)
    assert journal.status_code == 200 and len(journal.json["requests"]) == 1
    assert ADMIN.encode() not in journal.data
    assert token["token"].encode() not in journal.data  # the API token is masked too
    assert journal.json["requests"][0]["params"]["auth_token"].endswith("***")


@pytest.mark.parametrize(
    "path",
    [
        "/docs/..%2F..%2F..%2Fetc%2Fpasswd",
        "/docs/%2Fetc%2Fpasswd",
        "/docs/..",
        "/docs/swagger-ui.css.map",
        "/_mockvoso/ui/static/..%2F__init__.py",
        "/_mockvoso/ui/static/%2Fetc%2Fpasswd",
        "/_mockvoso/ui/static/..",
    ],
)
def test_asset_routes_serve_only_their_allowlist(path: str) -> None:
    reply = create_app({"leads": 5}).test_client().get(path)
    assert reply.status_code == 404
    assert reply.mimetype == "application/json"
    assert b"root:" not in reply.data and b"import" not in reply.data


def test_docs_page_escapes_the_mount_point() -> None:
    app = create_app({"leads": 5})
    # A plain client: the contract checker knows no mount point, this test needs one.
    app.test_client_class = FlaskClient
    client = app.test_client()
    # The mount point (SCRIPT_NAME, e.g. from a proxy) is the one value the page echoes.
    page = client.get("/docs", base_url='http://localhost/x"><script>alert(1)</script>')
    assert page.status_code == 200
    assert b"<script>alert(1)</script>" not in page.data
    assert page.data.count(b"/x&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;/docs/") == 4
    assert b'url: "/x\\"><script>alert(1)<\\/script>/openapi.json"' in page.data
