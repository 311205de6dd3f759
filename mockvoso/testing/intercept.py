"""intercept(): route requests/httpx calls for api.convoso.com into a mockvoso app, no socket."""

from __future__ import annotations

import asyncio
import functools
import http.client
import importlib.util
import inspect
import json
import os
import sys
import tempfile
import threading
import time
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from mockvoso.sockets import DROP_KEY, DropConnection
from mockvoso.testing.client import InProcessControl
from mockvoso.testing.wsgi_call import build_environ, call_wsgi

if TYPE_CHECKING:
    from flask import Flask

    from mockvoso.config import Settings

__all__ = [
    "DEFAULT_HOSTS",
    "INSTALL_HINT",
    "TEST_DEFAULTS",
    "Interception",
    "build_test_app",
    "intercept",
]

# Convoso's API host, and the host its glossary names for users/recordings.
DEFAULT_HOSTS: tuple[str, ...] = ("api.convoso.com", "api.safesoft.io")
INSTALL_HINT = 'pip install "mockvoso[intercept]"'

# The world tests get unless they ask otherwise: small (starts in ~0.2 s), a fixed seed
# and a fixed clock, so seeded data is byte-identical on any machine and any day. The
# pytest fixture uses the same defaults. port 0: a live server takes a free port.
TEST_DEFAULTS: dict[str, Any] = {
    "seed": 1234,
    "leads": 200,
    "clock": "2026-01-01T00:00:00",
    "port": 0,
    "threads": 8,
    "quiet": True,
}
_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")

F = TypeVar("F", bound=Callable[..., Any])


# --------------------------------------------------------------------------- test worlds


def resolve_test_settings(
    settings: Settings | dict[str, Any] | None = None,
    *,
    base_dir: str | Path | None = None,
    **overrides: Any,
) -> tuple[Settings, list[Any] | None]:
    """Settings for a test world, and the startup fault rules given as a list (if any).

    TEST_DEFAULTS < `settings` (a dict) < overrides; a Settings instance is taken as the
    whole base instead. `faults` may be a list of rule objects, or a file path; relative
    `faults` and `data` paths are resolved against `base_dir`.
    """
    from mockvoso.config import Settings

    if isinstance(settings, Settings):
        base, raw = settings, dict(overrides)
    else:
        base, raw = Settings(), {**TEST_DEFAULTS, **(settings or {}), **overrides}
    rules: list[Any] | None = None
    if isinstance(raw.get("faults"), (list, tuple)):
        rules = list(raw.pop("faults"))
    for key in ("faults", "data"):
        value = raw.get(key)
        if base_dir is not None and isinstance(value, (str, Path)) and value:
            raw[key] = str(Path(base_dir, value))  # an absolute value stays as it is
    return base.with_overrides(raw), rules


def build_test_app(
    settings: Settings | dict[str, Any] | None = None,
    *,
    base_dir: str | Path | None = None,
    sleep: Callable[[float], None] | None = None,
    **overrides: Any,
) -> Flask:
    """A fresh, validated mockvoso app for tests (see resolve_test_settings for the layering).

    Startup fault rules given as a list go through a temporary JSON file: the app reads
    startup rules once, when it is built, and keeps them for every reset, so the file is
    removed as soon as the app exists.
    """
    from mockvoso.app import create_app
    from mockvoso.serving.validate import validate_settings

    resolved, rules = resolve_test_settings(settings, base_dir=base_dir, **overrides)
    path: str | None = None
    try:
        if rules is not None:
            fd, path = tempfile.mkstemp(prefix="mockvoso-faults-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(rules, handle)
            resolved = resolved.with_overrides({"faults": path})
        validate_settings(resolved)
        kwargs = {"sleep": sleep} if sleep is not None else {}
        return create_app(resolved, **kwargs)
    finally:
        if path is not None:
            os.unlink(path)


# --------------------------------------------------------------------------- the WSGI call


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass(frozen=True)
class _Drop:
    """No HTTP answer: the live server would close the socket after hang_ms of silence."""

    hang_ms: int


@dataclass(frozen=True)
class _TimedOut:
    read_timeout: float


def _require_libraries() -> tuple[bool, bool]:
    """(patch requests?, patch httpx?): every installed client library is patched.

    A client library that is installed but left unpatched would send its calls to the
    real Convoso, so its mocking library is required, not optional.
    """
    has_requests = importlib.util.find_spec("requests") is not None
    has_httpx = importlib.util.find_spec("httpx") is not None
    if not has_requests and not has_httpx:
        raise ImportError(
            "mockvoso.intercept() patches requests and httpx, and neither is installed; "
            f"{INSTALL_HINT}"
        )
    missing = [
        needed
        for client, needed in (("requests", "responses"), ("httpx", "respx"))
        if importlib.util.find_spec(client) is not None and importlib.util.find_spec(needed) is None
    ]
    if missing:
        raise ImportError(
            f"mockvoso.intercept() needs {' and '.join(missing)} to patch the installed "
            f"HTTP client libraries; {INSTALL_HINT}"
        )
    return has_requests, has_httpx


def _body_bytes(body: Any) -> bytes:
    """A requests PreparedRequest body (bytes, str, file, iterable of chunks) as bytes."""
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        # http.client sends a str body as ISO-8859-1; fail the same way a real send would.
        return body.encode("iso-8859-1")
    if hasattr(body, "read"):
        return _body_bytes(body.read())
    if isinstance(body, Iterable):
        return b"".join(_body_bytes(chunk) for chunk in body)
    raise TypeError(f"cannot send a request body of type {type(body).__name__}")


def _read_timeout(timeout: Any) -> float | None:
    """The read part of a requests timeout (number, (connect, read) tuple or None)."""
    if isinstance(timeout, tuple):
        timeout = timeout[1] if len(timeout) > 1 else None
    return None if timeout is None else float(timeout)


class _Deadline:
    """The fault engine's sleep, cut short at the calling client's read timeout.

    A live server keeps working after the client gave up; so does the app here, only
    the waiting stops. Per thread: concurrent requests each have their own deadline.
    """

    def __init__(self) -> None:
        self._local = threading.local()

    def arm(self, read_timeout: float | None) -> None:
        self._local.deadline = None if read_timeout is None else time.monotonic() + read_timeout
        self._local.expired = False

    def expired(self) -> bool:
        return bool(getattr(self._local, "expired", False))

    def __call__(self, seconds: float) -> None:
        deadline = getattr(self._local, "deadline", None)
        if deadline is not None and time.monotonic() + seconds > deadline:
            time.sleep(max(0.0, deadline - time.monotonic()))
            self._local.expired = True
            return
        time.sleep(seconds)


# --------------------------------------------------------------------------- Interception


class Interception(InProcessControl):
    """Patches requests (responses) and httpx (respx) while active; holds the helpers.

    A context manager and a decorator (sync or async functions). The app is built on
    first use and kept: each later activation resets it (data, faults, limit, journal),
    so a decorated test sees a fresh world every run at the cost of a reset, not a
    rebuild. With app= (e.g. the pytest fixture's) the app is never reset here.
    """

    def __init__(
        self,
        *,
        hosts: Iterable[str] | None = None,
        settings: Settings | dict[str, Any] | None = None,
        app: Flask | None = None,
        **overrides: Any,
    ) -> None:
        self.hosts = tuple(_host(h) for h in (DEFAULT_HOSTS if hosts is None else hosts))
        if not self.hosts:
            raise ValueError("intercept(): hosts must name at least one host")
        if app is not None and (settings is not None or overrides):
            raise ValueError("intercept(): give app= or settings, not both")
        self._deadline = _Deadline()
        self._owns_app = app is None
        super().__init__(
            app,
            url=f"https://{self.hosts[0]}",
            app_factory=lambda: build_test_app(settings, sleep=self._deadline, **overrides),
        )
        self._activations = 0
        self._patchers: list[Any] = []
        self._router: Any = None  # the respx router, built on the first activation

    def __repr__(self) -> str:
        return f"<mockvoso.Interception hosts={list(self.hosts)} active={self.active}>"

    @property
    def active(self) -> bool:
        return bool(self._patchers)

    # --- activation ------------------------------------------------------------------

    def start(self) -> Interception:
        """Start patching (what `with` does); RuntimeError if already active."""
        if self.active:
            raise RuntimeError("this mockvoso interception is already active")
        patch_requests, patch_httpx = _require_libraries()
        app = self.app  # build now: the first request should not pay for seeding
        if self._owns_app and self._activations:
            app.extensions["mockvoso"].reset()
        self._activations += 1
        try:
            if patch_requests:
                self._patchers.append(self._start_responses())
            if patch_httpx:
                self._patchers.append(self._start_respx())
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop patching; the app, its data and journal stay readable."""
        while self._patchers:
            self._patchers.pop().stop()

    def __enter__(self) -> Interception:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __call__(self, func: F) -> F:
        """Decorate a function (sync or async): intercept while it runs."""
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await func(*args, **kwargs)

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    # --- the in-process request ------------------------------------------------------

    def _dispatch(
        self,
        method: str,
        url: str,
        headers: Iterable[tuple[str, str]],
        body: bytes,
        read_timeout: float | None,
    ) -> _Answer | _Drop | _TimedOut:
        """One request through the app's WSGI interface, as the live server would run it."""
        environ = build_environ(method, url, headers, body)
        started = time.monotonic()
        self._deadline.arm(read_timeout)
        hang_ms: int | None = None
        try:
            status, response_headers, payload = call_wsgi(self.app, environ)
        except DropConnection as exc:  # an app that lets the drop escape
            hang_ms = exc.hang_ms
        # What SocketFaults reads on a live server: the app asked for no answer at all.
        marked = environ.pop(DROP_KEY, None)
        if marked is not None:
            hang_ms = int(marked)
        if hang_ms is not None:
            waited = time.monotonic() - started
            if read_timeout is not None and waited + hang_ms / 1000 > read_timeout:
                time.sleep(max(0.0, read_timeout - waited))
                return _TimedOut(read_timeout)
            return _Drop(hang_ms)
        # Injected latency past the client's timeout: the client gives up, as on a socket.
        elapsed = time.monotonic() - started
        if self._deadline.expired() or (read_timeout is not None and elapsed > read_timeout):
            return _TimedOut(read_timeout or elapsed)
        return _Answer(status, response_headers, payload)

    @staticmethod
    def _wait_hang(outcome: _Drop) -> None:
        if outcome.hang_ms:
            time.sleep(outcome.hang_ms / 1000)

    # --- requests (responses) --------------------------------------------------------

    def _start_responses(self) -> Any:
        import re

        import responses
        from requests.adapters import HTTPAdapter

        # Passed-through calls go to whatever send() is in place now, so an outer
        # responses mock (the user's own) still sees the hosts not intercepted here.
        # responses' own default is HTTPAdapter.send; its annotation of the parameter
        # and requests' of send() disagree on optional types, not on the function.
        mock = responses.RequestsMock(
            assert_all_requests_are_fired=False,
            real_adapter_send=HTTPAdapter.send,  # type: ignore[arg-type]
        )
        hosts = "|".join(re.escape(h) for h in self.hosts)
        pattern = re.compile(rf"^https?://({hosts})(:\d+)?([/?#]|$)", re.IGNORECASE)
        for method in _METHODS:
            # Headers as the app answered them, a list of pairs: responses takes a
            # list at run time (CallbackResponse.get_response) but annotates a Mapping.
            mock.add_callback(
                method,
                pattern,
                self._requests_callback,  # type: ignore[arg-type]
                content_type=None,
            )
        mock.add_passthru(re.compile(r".*"))
        mock.start()
        return _Stoppable(lambda: mock.stop(allow_assert=False))

    def _requests_callback(self, request: Any) -> tuple[int, list[tuple[str, str]], bytes]:
        import requests
        from urllib3.exceptions import ProtocolError

        timeout = _read_timeout(getattr(request, "req_kwargs", {}).get("timeout"))
        outcome = self._dispatch(
            str(request.method),
            str(request.url),
            request.headers.items(),
            _body_bytes(request.body),
            timeout,
        )
        if isinstance(outcome, _Answer):
            return outcome.status, outcome.headers, outcome.body
        if isinstance(outcome, _TimedOut):
            error: Exception = requests.ReadTimeout(
                f"{urlsplit(str(request.url)).netloc}: Read timed out. "
                f"(read timeout={outcome.read_timeout})",
                request=request,
            )
        else:
            self._wait_hang(outcome)
            # Exactly what requests raises when a live server closes without answering.
            error = requests.ConnectionError(
                ProtocolError(
                    "Connection aborted.",
                    http.client.RemoteDisconnected("Remote end closed connection without response"),
                ),
                request=request,
            )
        error.add_note("mockvoso: injected by a fault rule (drop/hang) through intercept()")
        raise error

    # --- httpx (respx) ---------------------------------------------------------------

    def _start_respx(self) -> Any:
        # Built once per Interception: each activation only starts and stops it (its
        # stop() rolls the routes back to what they were at start()).
        if self._router is None:
            self._router = _router_class()(self.hosts, self._httpx_side_effect)
        self._router.start()
        return self._router

    def _httpx_side_effect(self, request: Any) -> Any:
        import httpcore
        import httpx

        timeout = (request.extensions.get("timeout") or {}).get("read")
        outcome = self._dispatch(
            request.method,
            str(request.url),
            request.headers.multi_items(),
            request.content,
            None if timeout is None else float(timeout),
        )
        if isinstance(outcome, _Answer):
            return httpx.Response(outcome.status, headers=outcome.headers, content=outcome.body)
        # httpcore's own errors: httpx maps them (with the caller's request attached)
        # to httpx.ReadTimeout / httpx.RemoteProtocolError, as for a live server.
        error: Exception
        if isinstance(outcome, _TimedOut):
            error = httpcore.ReadTimeout("timed out")
        else:
            self._wait_hang(outcome)
            error = httpcore.RemoteProtocolError("Server disconnected without sending a response.")
        error.add_note("mockvoso: injected by a fault rule (drop/hang) through intercept()")
        raise error


class _Stoppable:
    def __init__(self, stop: Callable[[], None]) -> None:
        self.stop = stop


def _host(value: str) -> str:
    """`https://api.convoso.com/v1` or `api.convoso.com` -> `api.convoso.com`."""
    text = value.strip()
    host = urlsplit(text if "//" in text else f"//{text}").hostname
    if not host:
        raise ValueError(f"intercept(): not a host name: {value!r}")
    return host


@functools.cache
def _router_class() -> type[Any]:
    import respx

    class InterceptRouter(respx.MockRouter):
        """Requests to the intercepted hosts go straight to the app; the rest pass through.

        Straight, not through a respx route with a side effect: a route inspects the side
        effect's signature and records a call (kept until the interception stops) per request,
        ~0.25 M instructions per call (callgrind, 300 calls: an intercepted httpx one-hit
        search went from 2.61 M to 2.04 M with this and wsgi_call.py, whose share is
        ~0.33 M). Async clients: the (blocking) WSGI call runs in a worker thread, so
        injected latency delays only its own request, as on a live server, instead of
        freezing the event loop and every other coroutine with it.
        """

        def __init__(self, hosts: Iterable[str], serve: Callable[[Any], Any]) -> None:
            super().__init__(assert_all_called=False)
            self._hosts = frozenset(hosts)
            self._serve = serve
            self.route().pass_through()  # every other host: the real network

        def handler(self, request: Any) -> Any:
            if request.url.host in self._hosts:
                return self._serve(request)
            return super().handler(request)

        async def async_handler(self, request: Any) -> Any:
            return await asyncio.to_thread(self.handler, request)

    return InterceptRouter


# --------------------------------------------------------------------------- entry point


def intercept(
    func: Callable[..., Any] | None = None,
    *,
    hosts: Iterable[str] | None = None,
    settings: Settings | dict[str, Any] | None = None,
    app: Flask | None = None,
    **overrides: Any,
) -> Any:
    """Serve Convoso's hosts from an in-process mockvoso while active.

        with mockvoso.intercept(leads=50) as convoso:
            requests.post("https://api.convoso.com/v1/leads/search", data={...})

    Also `@mockvoso.intercept()` (or bare `@mockvoso.intercept`) on a sync or async
    function. `hosts` defaults to api.convoso.com and api.safesoft.io; calls to any
    other host go to the network untouched. `settings` (Settings or a dict) and
    keyword overrides shape the world on top of TEST_DEFAULTS; `app=` serves an
    existing mockvoso app instead (e.g. the pytest fixture's `mockvoso.app`).
    """
    interception = Interception(hosts=hosts, settings=settings, app=app, **overrides)
    if func is not None:
        if not callable(func):
            raise TypeError("intercept(): the first argument must be a function to decorate")
        return interception(func)
    return interception


class _CallableModule(types.ModuleType):
    """Makes `mockvoso.intercept(...)` work even after `import mockvoso.intercept`.

    That import (mockvoso/intercept.py hands this module over) sets the package attribute
    `mockvoso.intercept` to this module, shadowing the package's lazy `__getattr__`;
    calling the module therefore has to mean calling intercept().
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return intercept(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
