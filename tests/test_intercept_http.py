"""What an intercepted request carries into the app, and what the client gets back, exactly.

An echo app (not mockvoso) stands behind intercept(app=...), so each request detail the
app sees (method, path, query, headers, body) and each answer detail the client sees
(status, headers, cookies, redirects, a streamed body) is asserted for requests and httpx.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import requests
from flask import Flask, Response, redirect, request, stream_with_context

from mockvoso.testing.intercept import Interception

BASE = "https://api.convoso.com"
# Header names a client adds by itself (and their values vary by library version).
_CLIENT_OWN = {"HTTP_USER_AGENT", "HTTP_ACCEPT", "HTTP_ACCEPT_ENCODING", "HTTP_CONNECTION"}
_WSGI_KEYS = (
    "REQUEST_METHOD",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "REQUEST_URI",
    "SERVER_NAME",
    "SERVER_PORT",
    "SERVER_PROTOCOL",
    "CONTENT_TYPE",
    "CONTENT_LENGTH",
    "wsgi.url_scheme",
)
closed: list[str] = []


def echo_app() -> Flask:
    app = Flask("echo")

    @app.route("/echo/<path:rest>", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
    def echo(rest: str) -> Response:
        environ = request.environ
        seen = {key: environ.get(key) for key in _WSGI_KEYS}
        seen["headers"] = {
            key: value
            for key, value in environ.items()
            if key.startswith("HTTP_") and key not in _CLIENT_OWN
        }
        seen["body"] = request.get_data().decode("latin1")
        seen["form"] = request.form.to_dict(flat=False)
        seen["args"] = request.args.to_dict(flat=False)
        seen["rest"] = rest
        return Response(json.dumps(seen), mimetype="application/json")

    @app.route("/cookie")
    def set_cookie() -> Response:
        answer = Response("set")
        answer.set_cookie("session", "abc123", path="/")
        return answer

    @app.route("/go")
    def go() -> Any:
        return redirect("/echo/landed?from=go", code=302)

    @app.route("/stream")
    def stream() -> Response:
        def chunks() -> Iterator[bytes]:
            try:
                for n in range(3):
                    yield f"chunk{n};".encode()
            finally:
                closed.append("stream")

        return Response(stream_with_context(chunks()), mimetype="text/plain")

    @app.route("/headers")
    def many_headers() -> Response:
        answer = Response(b"", status=201)
        answer.headers.add("X-Twice", "one")
        answer.headers.add("X-Twice", "two")
        return answer

    return app


@pytest.fixture(scope="module")
def echo() -> Iterator[Interception]:
    with Interception(app=echo_app()) as interception:
        yield interception


def test_requests_form_post(echo: Interception) -> None:
    answer = requests.post(
        f"{BASE}/echo/a%20b/caf%C3%A9?x=1&x=2&y=%C3%A9",
        data={"phone_number": "5305550101", "note": "a&b"},
        headers={"X-Custom": "yes", "X-Empty": ""},
    )
    assert answer.status_code == 200
    seen = answer.json()
    assert {key: seen[key] for key in _WSGI_KEYS} == {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": "/echo/a b/caf\u00c3\u00a9",  # UTF-8 bytes as latin-1 (PEP 3333)
        "QUERY_STRING": "x=1&x=2&y=%C3%A9",
        "REQUEST_URI": "/echo/a%20b/caf%C3%A9",
        "SERVER_NAME": "api.convoso.com",
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": "34",
        "wsgi.url_scheme": "https",
    }
    assert seen["headers"] == {
        "HTTP_HOST": "api.convoso.com",
        "HTTP_X_CUSTOM": "yes",
        "HTTP_X_EMPTY": "",
    }
    assert seen["rest"] == "a b/café"
    assert seen["body"] == "phone_number=5305550101&note=a%26b"
    assert seen["form"] == {"phone_number": ["5305550101"], "note": ["a&b"]}
    assert seen["args"] == {"x": ["1", "2"], "y": ["é"]}


def test_requests_get_without_body_and_json_put(echo: Interception) -> None:
    got = requests.get(f"{BASE}/echo/plain", params={"q": "a b"}).json()
    assert got["REQUEST_METHOD"] == "GET"
    assert got["QUERY_STRING"] == "q=a+b"
    assert got["CONTENT_TYPE"] is None
    assert got["CONTENT_LENGTH"] is None
    assert got["body"] == ""

    put = requests.put(f"{BASE}/echo/json", json={"lead_id": 7, "name": "Zoë"}).json()
    assert put["CONTENT_TYPE"] == "application/json"
    assert put["CONTENT_LENGTH"] == str(len(put["body"]))
    assert json.loads(put["body"].encode("latin1")) == {"lead_id": 7, "name": "Zoë"}

    empty = requests.post(f"{BASE}/echo/empty", data=b"").json()
    assert (empty["CONTENT_LENGTH"], empty["body"]) == ("0", "")


def test_requests_port_scheme_and_chunked_body(echo: Interception) -> None:
    seen = requests.post("http://api.convoso.com:8080/echo/port", data=iter([b"ab", b"cd"])).json()
    assert (seen["SERVER_NAME"], seen["SERVER_PORT"], seen["wsgi.url_scheme"]) == (
        "api.convoso.com",
        "8080",
        "http",
    )
    assert seen["headers"]["HTTP_HOST"] == "api.convoso.com:8080"
    assert seen["headers"]["HTTP_TRANSFER_ENCODING"] == "chunked"
    assert (seen["body"], seen["CONTENT_LENGTH"]) == ("abcd", "4")


def test_httpx_repeated_headers_and_host(echo: Interception) -> None:
    with httpx.Client() as client:
        seen = client.post(
            f"{BASE}/echo/hx",
            content=b"raw",
            headers=[("X-Twice", "one"), ("X-Twice", "two"), ("Content-Type", "text/plain")],
        ).json()
    assert seen["headers"] == {
        "HTTP_HOST": "api.convoso.com",
        "HTTP_X_TWICE": "one, two",
    }
    assert (seen["CONTENT_TYPE"], seen["CONTENT_LENGTH"], seen["body"]) == (
        "text/plain",
        "3",
        "raw",
    )


def test_answer_headers_and_status(echo: Interception) -> None:
    answer = requests.get(f"{BASE}/headers")
    assert answer.status_code == 201
    assert answer.headers["X-Twice"] == "one, two"
    assert answer.content == b""
    hx = httpx.get(f"{BASE}/headers")
    assert hx.status_code == 201
    assert hx.headers.get_list("X-Twice") == ["one", "two"]


def test_cookies_are_kept_and_sent_back(echo: Interception) -> None:
    with requests.Session() as session:
        assert session.get(f"{BASE}/cookie").cookies.get("session") == "abc123"
        seen = session.get(f"{BASE}/echo/back").json()
    assert seen["headers"]["HTTP_COOKIE"] == "session=abc123"
    with httpx.Client() as client:
        client.get(f"{BASE}/cookie")
        seen = client.get(f"{BASE}/echo/back").json()
    assert seen["headers"]["HTTP_COOKIE"] == "session=abc123"


def test_redirects_are_followed_in_process(echo: Interception) -> None:
    answer = requests.get(f"{BASE}/go")
    assert [r.status_code for r in answer.history] == [302]
    assert answer.url == f"{BASE}/echo/landed?from=go"
    assert answer.json()["QUERY_STRING"] == "from=go"
    hx = httpx.get(f"{BASE}/go", follow_redirects=True)
    assert [r.status_code for r in hx.history] == [302]
    assert hx.json()["PATH_INFO"] == "/echo/landed"


def test_a_streamed_body_arrives_whole_and_is_closed(echo: Interception) -> None:
    closed.clear()
    answer = requests.get(f"{BASE}/stream", stream=True)
    assert list(answer.iter_content(chunk_size=None)) == [b"chunk0;chunk1;chunk2;"]
    assert closed == ["stream"]
    with httpx.stream("GET", f"{BASE}/stream") as hx:
        assert b"".join(hx.iter_bytes()) == b"chunk0;chunk1;chunk2;"
    assert closed == ["stream", "stream"]


def test_a_chunked_body_reaches_the_mock_as_on_a_live_server() -> None:
    token = "acmefull499bf56dd125ac3f46bb39e0"
    form = f"auth_token={token}&list_id=2701&phone_number=5305550199".encode()
    with Interception(leads=5):
        inserted = requests.post(
            f"{BASE}/v1/leads/insert",
            data=iter([form[:10], form[10:]]),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ).json()
        found = requests.post(
            f"{BASE}/v1/leads/search", data={"auth_token": token, "phone_number": "5305550199"}
        ).json()
    assert inserted["success"] is True
    assert [e["id"] for e in found["data"]["entries"]] == [str(inserted["data"]["lead_id"])]
