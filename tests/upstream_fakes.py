"""A small fake upstream (http.server in a thread) answering canned, deliberately odd replies."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from flask import Flask
from flask.testing import FlaskClient


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"{}"
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False  # hold the request until the fake stops


def json_reply(doc: Any, status: int = 200) -> Reply:
    return Reply(status, json.dumps(doc).encode())


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


class FakeUpstream:
    """Answers /v1/<action> from `routes` (path -> Reply or a callable building one)."""

    def __init__(self, routes: dict[str, Reply | Callable[[Seen], Reply]]) -> None:
        self.routes = routes
        self.seen: list[Seen] = []
        self.release = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep the test output clean
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(self.command, self.path, dict(self.headers), self.rfile.read(length))
                fake.seen.append(seen)
                route = fake.routes.get(self.path.split("?")[0])
                reply = route(seen) if callable(route) else route
                if reply is None:
                    reply = json_reply({"success": False, "code": 404, "text": "Not Found"}, 404)
                if reply.hang:
                    fake.release.wait(10)  # the client's short timeout fires long before
                    return
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = do_POST = do_PUT = do_DELETE = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def actions(self) -> list[str]:
        return [s.path.split("?")[0].removeprefix("/v1/") for s in self.seen]


@contextmanager
def fake_upstream(routes: dict[str, Reply | Callable[[Seen], Reply]]) -> Iterator[FakeUpstream]:
    fake = FakeUpstream(routes)
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.release.set()
        fake.server.shutdown()
        fake.server.server_close()
        thread.join(5)


def record_account(proxy: Flask, token: str) -> list[Any]:
    """A client's reads through a (recording) proxy app; return what the client got."""
    client = FlaskClient(proxy, proxy.response_class)  # the upstream's answers, unchecked
    got = []
    for action, params in [
        ("campaigns/search", {}),
        ("lists/search", {}),
        ("leads/search", {"limit": 30}),
        ("log/retrieve", {"start_time": "2000-01-01", "end_time": "2100-01-01", "limit": 30}),
        ("users/recordings", {"user": "jane.doe@acme.example", "limit": 10}),
        ("leads/search", {"phone_number": "5550001111"}),
    ]:
        response = client.post(f"/v1/{action}", data={"auth_token": token, **params})
        assert response.status_code == 200
        got.append(response.get_json())
    return got
