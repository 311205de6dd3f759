"""Faults that need a real connection, over a live threaded server: drop, hang, empty, malformed."""

from __future__ import annotations

import http.client
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from conftest import TEST_SETTINGS, offices_of
from mockvoso.app import create_app
from mockvoso.handlers import MALFORMED_BODY
from mockvoso.serving.server import ThreadedServer


class Gate:
    """An injected sleep that blocks until released: 'slow' requests without real time."""

    def __init__(self) -> None:
        self.opened = threading.Event()
        self.waiting = threading.Semaphore(0)

    def sleep(self, _seconds: float) -> None:
        self.waiting.release()
        assert self.opened.wait(10), "gate never opened"


@pytest.fixture
def gate() -> Gate:
    return Gate()


@pytest.fixture
def live(gate):
    app = create_app({**TEST_SETTINGS, "leads": 20}, sleep=gate.sleep)
    with ThreadedServer(app, threads=24) as server:
        server.token = offices_of(app)["ACME"].full_token
        yield server
    gate.opened.set()


def request(server, path: str, *, method: str = "GET", body: bytes | None = None, headers=None):
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def add_fault(server, **rule) -> str:
    status, _, body = request(
        server, "/_mockvoso/faults", method="POST", body=json.dumps(rule).encode()
    )
    assert status == 201
    return json.loads(body)["fault"]["id"]


def journal(server) -> list[dict]:
    return json.loads(request(server, "/_mockvoso/requests")[2])["requests"]


def test_drop_closes_the_connection_without_a_response(live):
    add_fault(live, endpoint="campaigns/search", fault="drop", times=1)
    with pytest.raises(http.client.RemoteDisconnected):
        request(live, f"/v1/campaigns/search?auth_token={live.token}")
    status, _, _ = request(live, f"/v1/campaigns/search?auth_token={live.token}")
    assert status == 200  # the server keeps serving
    entries = journal(live)
    assert [(e["status"], e["fault"]) for e in entries] == [(None, "f1"), (200, None)]


def test_hang_holds_then_closes(live, gate):
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(
            request,
            live,
            f"/v1/lists/search?auth_token={live.token}",
            headers={"X-Mockvoso-Fault": "fault=hang,hang=5000"},
        )
        assert gate.waiting.acquire(timeout=10)  # held in the server: no answer yet
        assert not pending.done()
        gate.opened.set()
        with pytest.raises(http.client.RemoteDisconnected):
            pending.result(timeout=10)


def test_empty_and_malformed_over_the_wire(live):
    add_fault(live, endpoint="lists/search", fault="empty")
    add_fault(live, endpoint="leads/search", fault="malformed")
    status, headers, body = request(live, f"/v1/lists/search?auth_token={live.token}")
    assert (status, body, headers["X-Mockvoso-Fault"]) == (200, b"", "f1")
    status, headers, body = request(live, f"/v1/leads/search?auth_token={live.token}")
    assert (status, body) == (200, MALFORMED_BODY)
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)


def test_slow_requests_do_not_stall_other_endpoints(live, gate):
    """16 requests held by injected latency; other traffic is still answered at once."""
    add_fault(live, endpoint="log/retrieve", latency_ms=300)
    with ThreadPoolExecutor(max_workers=16) as pool:
        slow = [
            pool.submit(request, live, f"/v1/log/retrieve?auth_token={live.token}&limit=1")
            for _ in range(16)
        ]
        for _ in range(16):
            assert gate.waiting.acquire(timeout=10)  # all 16 are in flight, each holding a thread
        for _ in range(5):
            status, _, _ = request(live, f"/v1/campaigns/search?auth_token={live.token}")
            assert status == 200
        assert not any(f.done() for f in slow)
        gate.opened.set()
        assert [f.result(timeout=10)[0] for f in slow] == [200] * 16


def test_drop_in_process_raises_to_the_caller():
    """The Werkzeug test client has no socket: the drop surfaces as an exception."""
    from mockvoso.sockets import DropConnection

    app = create_app({**TEST_SETTINGS, "leads": 0})
    token = offices_of(app)["ACME"].full_token
    with pytest.raises(DropConnection):
        app.test_client().get(
            f"/v1/campaigns/search?auth_token={token}", headers={"X-Mockvoso-Fault": "fault=drop"}
        )


def test_mockvoso_apps_are_not_wrapped_twice():
    """create_app already drops connections; the servers add no second layer per request."""
    from mockvoso.sockets import SocketFaults, with_socket_faults

    app = create_app({**TEST_SETTINGS, "leads": 0})
    assert with_socket_faults(app) is app

    def plain(environ, start_response):
        return []

    wrapped = with_socket_faults(plain)
    assert isinstance(wrapped, SocketFaults) and with_socket_faults(wrapped) is wrapped
