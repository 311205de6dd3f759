"""Dropped and hung connections: the app marks a request, this middleware kills its socket."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

DROP_KEY = "mockvoso.drop_after_ms"  # environ marker read by SocketFaults


class DropConnection(Exception):
    """Raised by the app to end the connection with no response, after hang_ms of silence."""

    def __init__(self, hang_ms: int = 0) -> None:
        super().__init__(f"drop the connection after {hang_ms} ms")
        self.hang_ms = hang_ms


def mark_drop(environ: WSGIEnvironment, hang_ms: int = 0) -> None:
    """Ask SocketFaults to drop this request's connection (hang_ms of silence first)."""
    environ[DROP_KEY] = max(0, int(hang_ms))


def flask_drop_handler(exc: DropConnection) -> tuple[str, int]:
    """Flask error handler for DropConnection: mark the request; the 500 is never sent.

    Flask turns any exception that escapes a view or hook into a 500 before a WSGI
    middleware can see it, so the exception is converted into an environ marker here.
    """
    from flask import request  # lazy: this module must import without Flask's request stack

    mark_drop(request.environ, exc.hang_ms)
    return "", 500


def _server_kind(environ: WSGIEnvironment) -> str:
    # waitress always puts this callable in the environ (since 2.0); granian names itself.
    if "waitress.client_disconnected" in environ:
        return "waitress"
    if environ.get("SERVER_SOFTWARE") == "Granian":
        return "granian"
    return "other"


def _unsent_stream() -> Iterator[bytes]:
    # A generator, not a list: granian then streams the body (length unknown to hyper),
    # and a generator has the close() that granian's iterator wrapper may call.
    yield from ()


class SocketFaults:
    """WSGI middleware that turns DropConnection / mark_drop() into a real dropped socket.

    Under waitress: raise waitress' ClientDisconnected before any byte is written; its
    channel then closes the socket with nothing sent (the client reads EOF at once).
    Under granian: answer with a streamed body and a non-numeric Content-Length. hyper
    refuses to encode such a head ("user header" error) and closes the connection before
    writing a single byte, so the client also reads EOF with no response. Any other
    server (Werkzeug's test client, dev server) cannot drop: DropConnection propagates.
    Only a drop decided before the first body byte is possible.
    """

    def __init__(self, app: WSGIApplication, *, sleep: Callable[[float], None] = time.sleep):
        self.app = app
        self._sleep = sleep

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            body: Iterable[bytes] | None = self.app(environ, start_response)
        except DropConnection as exc:
            mark_drop(environ, exc.hang_ms)
            body = None
        hang_ms = environ.pop(DROP_KEY, None)  # popped: a nested SocketFaults acts once
        if hang_ms is None:
            assert body is not None
            return body
        close = getattr(body, "close", None)
        if close is not None:
            close()  # WSGI: the app's iterable must be closed even when not sent
        if hang_ms:
            self._sleep(hang_ms / 1000)
        return _drop(environ, start_response, hang_ms)


def with_socket_faults(app: WSGIApplication) -> WSGIApplication:
    """app, able to drop connections: wrapped unless it already is (create_app's are).

    Thin wrappers that set `__wrapped__` (the pytest plugin's request counter) are looked
    through, so an app never gets a second layer that would act on nothing.
    """
    layer: object = app
    while layer is not None:
        if isinstance(layer, SocketFaults) or isinstance(
            getattr(layer, "wsgi_app", None), SocketFaults
        ):
            return app
        layer = getattr(layer, "__wrapped__", None)
    return SocketFaults(app)


def _drop(environ: WSGIEnvironment, start_response: StartResponse, hang_ms: int) -> Iterable[bytes]:
    kind = _server_kind(environ)
    if kind == "waitress":
        from waitress.channel import ClientDisconnected

        raise ClientDisconnected("mockvoso: connection dropped on purpose")
    if kind == "granian":
        # exc_info: the app may already have called start_response; this replaces it.
        # PEP 3333 wants a sys.exc_info() tuple there, so the exception is really raised.
        try:
            raise DropConnection(hang_ms)
        except DropConnection:
            start_response("200 OK", [("Content-Length", "drop")], sys.exc_info())
        return _unsent_stream()
    raise DropConnection(hang_ms)
