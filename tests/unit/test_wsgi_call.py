"""build_environ / call_wsgi: the environ of one intercepted request, and its buffered answer."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.datastructures import Headers
from werkzeug.test import EnvironBuilder

from mockvoso.testing.wsgi_call import build_environ, call_wsgi

FORM = "application/x-www-form-urlencoded"


def test_a_form_post_exactly() -> None:
    environ = build_environ(
        "POST",
        "https://api.convoso.com/v1/leads/search?x=1",
        [
            ("User-Agent", "ua"),
            ("Content-Type", FORM),
            ("Content-Length", "7"),
            ("X-Twice", "a"),
            ("x-twice", "b"),
        ],
        b"a=1&b=2",
    )
    body = environ.pop("wsgi.input")
    assert body.read() == b"a=1&b=2"
    assert environ == {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": "/v1/leads/search",
        "QUERY_STRING": "x=1",
        "REQUEST_URI": "/v1/leads/search",
        "RAW_URI": "/v1/leads/search",
        "SERVER_NAME": "api.convoso.com",
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "api.convoso.com",
        "HTTP_USER_AGENT": "ua",
        "HTTP_X_TWICE": "a, b",
        "CONTENT_TYPE": FORM,
        "CONTENT_LENGTH": "7",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "https",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.input_terminated": True,
    }


# (method, url, headers, body): what requests and httpx hand intercept().
CASES: list[tuple[str, str, list[tuple[str, str]], bytes]] = [
    ("GET", "https://api.convoso.com/v1/leads/search?a=1&a=2&b=%C3%A9", [("Accept", "*/*")], b""),
    ("GET", "https://api.convoso.com", [], b""),
    ("POST", "https://api.convoso.com/v1/x", [("Content-Type", FORM)], b""),
    ("POST", "http://api.convoso.com:8080/p/caf%C3%A9/a%20b", [("Content-Type", FORM)], b"k=v"),
    ("PUT", "https://api.safesoft.io/v1/y", [("Content-Type", "application/json")], b'{"a": 1}'),
    # A stale Content-Length header: the body's own length wins.
    ("POST", "https://api.convoso.com/v1/z", [("Content-Length", "99")], b"abc"),
    # httpx sends Host itself: it wins over the URL's netloc.
    ("DELETE", "https://api.convoso.com/v1/z", [("Host", "api.convoso.com"), ("A", "1")], b""),
    ("PATCH", "https://api.convoso.com:8443/v1", [("Cookie", "s=1"), ("cookie", "t=2")], b"x"),
    (
        "POST",
        "https://api.convoso.com/v1/z",
        [("Content-Type", "text/plain; charset=utf-8")],
        b"\xe9",
    ),
]


def _werkzeug_environ(
    method: str, url: str, headers: list[tuple[str, str]], body: bytes
) -> dict[str, Any]:
    """What intercept() built before (Werkzeug's EnvironBuilder), the reference here."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return EnvironBuilder(
        method=method,
        base_url=f"{parts.scheme}://{parts.netloc}",
        path=parts.path or "/",
        query_string=parts.query,
        headers=Headers(headers),
        data=body,
    ).get_environ()


@pytest.mark.parametrize(("method", "url", "headers", "body"), CASES)
def test_the_same_environ_as_werkzeugs_builder(
    method: str, url: str, headers: list[tuple[str, str]], body: bytes
) -> None:
    mine = build_environ(method, url, headers, body)
    theirs = _werkzeug_environ(method, url, headers, body)
    assert mine.pop("wsgi.input").read() == theirs.pop("wsgi.input").read() == body
    # The one key added on purpose: the body is whole, as live servers say of theirs.
    assert mine.pop("wsgi.input_terminated") is True
    assert mine == theirs


def test_an_empty_body_keeps_its_content_length_header() -> None:
    # Werkzeug's builder drops it; a live server passes Content-Length: 0 on.
    environ = build_environ("POST", "https://h/x", [("Content-Length", "0")], b"")
    assert environ["CONTENT_LENGTH"] == "0"
    assert "CONTENT_LENGTH" not in build_environ("GET", "https://h/x", [], b"")
    bad = build_environ("POST", "https://h/x", [("Content-Length", "many")], b"")
    assert "CONTENT_LENGTH" not in bad


def test_a_chunked_request_keeps_its_header_and_gets_the_real_length() -> None:
    environ = build_environ("POST", "https://h/x", [("Transfer-Encoding", "chunked")], b"abcd")
    assert environ["HTTP_TRANSFER_ENCODING"] == "chunked"
    assert environ["CONTENT_LENGTH"] == "4"


class _Closing:
    """An app's iterable with close(), as WSGI requires the caller to call it."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.chunks)

    def close(self) -> None:
        self.closed = True


def test_call_wsgi_buffers_closes_and_shares_the_environ() -> None:
    answer = _Closing([b"ab", b"", b"cd"])

    def app(environ: dict[str, Any], start_response: Any) -> _Closing:
        environ["seen.by.app"] = environ["wsgi.input"].read()
        write = start_response("201 CREATED", [("X-A", "1"), ("X-A", "2")])
        write(b">")
        return answer

    environ = build_environ("POST", "https://h/x", [], b"in")
    assert call_wsgi(app, environ) == (201, [("X-A", "1"), ("X-A", "2")], b">abcd")
    assert answer.closed is True
    assert environ["seen.by.app"] == b"in"


def test_call_wsgi_closes_an_iterable_that_fails() -> None:
    class Failing(_Closing):
        def __iter__(self) -> Iterator[bytes]:
            yield b"a"
            raise OSError("boom")

    answer = Failing([])

    def app(environ: dict[str, Any], start_response: Any) -> Failing:
        start_response("200 OK", [])
        return answer

    with pytest.raises(OSError, match="boom"):
        call_wsgi(app, build_environ("GET", "https://h/", [], b""))
    assert answer.closed is True


def test_call_wsgi_reraises_exc_info() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        try:
            raise KeyError("late")
        except KeyError:
            start_response("500 INTERNAL SERVER ERROR", [], sys.exc_info())
        return [b""]

    with pytest.raises(KeyError, match="late"):
        call_wsgi(app, build_environ("GET", "https://h/", [], b""))
