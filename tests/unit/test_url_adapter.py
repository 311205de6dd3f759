"""MockvosoFlask.create_url_adapter: the same adapter and request.host as Flask's own."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, Request
from werkzeug.test import Client, EnvironBuilder

from mockvoso.app import create_app

CASES: list[dict[str, Any]] = [
    {"path": "/v1/leads/search", "headers": {"Host": "127.0.0.1:8000"}},
    {"path": "/v1/leads/search", "headers": {"Host": "LocalHost:80"}, "method": "POST"},
    {"path": "/v1/leads/search", "query_string": "a=1&b=%20"},
    {"path": "/v1/caf\u00e9", "headers": {"Host": "b\u00fccher.example:8443"}},
    {"path": "/v1/leads/search", "base_url": "https://mock.example/prefix/"},
    {
        "path": "/v1/leads/search",
        "headers": {"Host": "mock.example", "Connection": "Upgrade", "Upgrade": "websocket"},
    },
]


def _parts(adapter: Any) -> tuple[Any, ...]:
    return (
        adapter.server_name,
        adapter.script_name,
        adapter.subdomain,
        adapter.url_scheme,
        adapter.path_info,
        adapter.default_method,
        adapter.query_args,
    )


@pytest.mark.parametrize("case", CASES, ids=range(len(CASES)))
def test_the_adapter_is_flasks_on_first_and_later_requests(case: dict[str, Any]) -> None:
    app = create_app({"leads": 5})
    for _ in range(2):  # the first fills the host cache, the second reads it
        ours = Request(EnvironBuilder(**case).get_environ())
        theirs = Request(EnvironBuilder(**case).get_environ())
        assert _parts(app.create_url_adapter(ours)) == _parts(Flask.create_url_adapter(app, theirs))
        assert ours.host == theirs.host
    assert len(app._url_hosts) == 1


def test_a_new_host_is_not_answered_from_another_hosts_entry() -> None:
    app = create_app({"leads": 5})
    first = Request(EnvironBuilder("/v1/x", headers={"Host": "one.example"}).get_environ())
    second = Request(EnvironBuilder("/v1/x", headers={"Host": "two.example"}).get_environ())
    assert app.create_url_adapter(first).server_name == "one.example"
    assert app.create_url_adapter(second).server_name == "two.example"
    assert second.host == "two.example"


def test_server_name_leaves_it_to_flask() -> None:
    app = create_app({"leads": 5})
    app.config["SERVER_NAME"] = "configured.example"
    request = Request(EnvironBuilder("/v1/x", headers={"Host": "other.example"}).get_environ())
    adapter = app.create_url_adapter(request)
    assert adapter.server_name == "configured.example"
    assert app._url_hosts == {}


def test_a_redirect_names_the_request_host() -> None:
    """Through WSGI: werkzeug's slash redirect is built from the adapter's host (a plain
    werkzeug client: the contract-checking test client refuses the 308 by design)."""
    client = Client(create_app({"leads": 5}))
    for host in ("one.example", "two.example:8080"):
        response = client.get("/_mockvoso//health", headers={"Host": host})
        assert response.status_code == 308
        assert response.headers["Location"] == f"http://{host}/_mockvoso/health"
