"""pytest plugin: a live mockvoso per session, reset before every test, with control helpers."""

from __future__ import annotations

import json
import logging
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from mockvoso.testing.client import InProcessControl

# Nothing heavy at import time: pytest imports this module (an entry point) in every
# project that has mockvoso installed, so Flask, Faker and waitress load only when a
# test asks for a fixture.
if TYPE_CHECKING:
    from flask import Flask

    from mockvoso.config import Settings
    from mockvoso.serving.server import ThreadedServer
    from mockvoso.testing.intercept import Interception

__all__ = ["MockvosoServer"]

MARKER = "mockvoso"
# ini name -> Settings field, for the few settings worth a line of their own.
_INI_FIELDS = {
    "mockvoso_seed": "seed",
    "mockvoso_leads": "leads",
    "mockvoso_clock": "clock",
    "mockvoso_data": "data",
}
_INI_SETTINGS = "mockvoso_settings"
# mockvoso_clock = now: seeded timestamps follow the day the suite runs (Settings' None).
_CLOCK_NOW = {"now", "none"}


class MockvosoServer(InProcessControl):
    """What the `mockvoso` fixture yields: a live server plus the control helpers.

    `.url` is the live base URL (http://127.0.0.1:PORT, no trailing slash) for the code
    under test. The helpers call the app in process (same effect as the HTTP control
    plane, without a socket), so they stay fast and work with an admin token set.
    """

    def __init__(self, app: Flask, server: ThreadedServer) -> None:
        super().__init__(app, url=server.url)
        self.server = server

    def __repr__(self) -> str:
        return f"<mockvoso server {self.url}>"

    @property
    def settings(self) -> Settings:
        """The Settings this server's world was built with."""
        settings: Settings = self.app.extensions["mockvoso"].settings
        return settings


# How long a reset waits for an earlier test's requests to finish (see _Quiesce).
SETTLE_TIMEOUT = 10.0


class _Quiesce:
    """Keeps a test's late requests out of the next test's world.

    A test that injects latency or a hang and lets its client time out leaves a server
    thread sleeping; woken later, that request would write to, and be journalled in,
    the next test's freshly reset world. So injected waits sleep on an event that
    settle() sets (cutting them short), and settle() then waits until no request is
    inside the app before the reset wipes what they did.
    """

    def __init__(self) -> None:
        self._wake = threading.Event()
        self._idle = threading.Condition()
        self._active = 0

    def sleep(self, seconds: float) -> None:
        self._wake.wait(seconds)  # the event of the test that started the wait

    def wrap(self, app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
        def counted(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            with self._idle:
                self._active += 1
            try:
                return app(environ, start_response)  # Flask answers buffered bodies
            finally:
                with self._idle:
                    self._active -= 1
                    self._idle.notify_all()

        counted.__wrapped__ = app  # type: ignore[attr-defined]  # see with_socket_faults
        return counted

    def settle(self, timeout: float = SETTLE_TIMEOUT) -> bool:
        """Wake every injected wait, then wait (bounded) for the app to be idle."""
        woken, self._wake = self._wake, threading.Event()
        woken.set()
        with self._idle:
            return self._idle.wait_for(lambda: self._active == 0, timeout)


@dataclass
class _World:
    """One app (and, once a test asks for it, one live server) for one set of settings."""

    app: Flask
    quiesce: _Quiesce
    server: ThreadedServer | None = None
    handle: MockvosoServer | None = None

    def reset(self) -> None:
        if not self.quiesce.settle():
            warnings.warn(
                f"mockvoso: requests of an earlier test still running after "
                f"{SETTLE_TIMEOUT:g}s; they may reach this test's world",
                pytest.PytestWarning,
                stacklevel=2,
            )
        self.app.extensions["mockvoso"].reset()

    def live(self) -> MockvosoServer:
        if self.handle is None:
            from mockvoso.serving.server import ThreadedServer

            settings = self.app.extensions["mockvoso"].settings
            # Injected latency keeps threads busy on purpose; waitress would then log
            # "Task queue depth" warnings into every test's captured output.
            logging.getLogger("waitress.queue").setLevel(logging.ERROR)
            # The app was built with the quiesce's cancellable sleep, so its own drop/hang
            # layer (create_app) cannot outlive the test either; no second layer here.
            wsgi = self.quiesce.wrap(self.app)
            # start() binds and listens before it returns: ready for the first request.
            server = ThreadedServer(
                wsgi, host=settings.host, port=settings.port, threads=settings.threads
            )
            server.start()
            self.server = server
            self.handle = MockvosoServer(self.app, server)
        return self.handle

    def close(self) -> None:
        if self.server is not None:
            self.quiesce.settle()  # wake a last test's hang, or stop() would wait it out
            self.server.stop()
            self.server = None


@dataclass
class _Worlds:
    """The session's worlds, keyed by their resolved settings.

    Tests without a marker share one world; a marker with other settings gets its own,
    kept for the session, so a module repeating the same marker builds it once.
    """

    base: dict[str, Any]
    base_dir: Path
    cache: dict[Any, _World] = field(default_factory=dict)

    def get(self, overrides: dict[str, Any]) -> _World:
        from mockvoso.testing.intercept import build_test_app, resolve_test_settings

        merged = {**self.base, **overrides}
        settings, rules = resolve_test_settings(merged, base_dir=self.base_dir)
        key = (settings, json.dumps(rules, sort_keys=True))
        world = self.cache.get(key)
        if world is None:
            quiesce = _Quiesce()
            app = build_test_app(merged, base_dir=self.base_dir, sleep=quiesce.sleep)
            world = self.cache[key] = _World(app, quiesce)
        return world

    def close(self) -> None:
        while self.cache:
            _, world = self.cache.popitem()
            world.close()


# --------------------------------------------------------------------------- hooks


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("mockvoso_seed", "mockvoso fixture: seed of the data (default 1234)")
    parser.addini("mockvoso_leads", "mockvoso fixture: leads per office (default 200)")
    parser.addini(
        "mockvoso_clock",
        "mockvoso fixture: anchor of seeded timestamps (default 2026-01-01T00:00:00; "
        "'now' = the start time)",
    )
    parser.addini(
        "mockvoso_data", "mockvoso fixture: a folder of office YAML files (relative to rootdir)"
    )
    parser.addini(
        _INI_SETTINGS,
        "mockvoso fixture: any other setting, one name=value per line "
        "(e.g. require_office=true, rate_limit=100/1, faults=faults.yaml)",
        type="linelist",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**settings): build this test's mockvoso world with these settings "
        "(seed=, leads=, clock=, faults=[rules] or a file, rate_limit='N/S', "
        "require_office=, legacy_auth_status=, admin_token=, ...); other settings than the "
        "session's get a server of their own",
    )


def _ini_overrides(config: pytest.Config) -> dict[str, Any]:
    """Settings from the ini file; only the ones given (TEST_DEFAULTS fill the rest)."""
    overrides: dict[str, Any] = {}
    for name, setting in _INI_FIELDS.items():
        value = str(config.getini(name) or "").strip()
        if value:
            overrides[setting] = value
    for line in config.getini(_INI_SETTINGS) or []:
        key, sep, value = str(line).partition("=")
        if not sep or not key.strip():
            raise pytest.UsageError(f"{_INI_SETTINGS}: expected name=value, got {line!r}")
        overrides[key.strip().replace("-", "_")] = value.strip()
    if str(overrides.get("clock", "")).lower() in _CLOCK_NOW:
        overrides["clock"] = None
    return overrides


def _marker_overrides(node: pytest.Item) -> dict[str, Any]:
    """Every @pytest.mark.mockvoso on the test, module first, the closest one winning."""
    merged: dict[str, Any] = {}
    for mark in reversed(list(node.iter_markers(MARKER))):
        if mark.args:
            raise pytest.UsageError(
                f"@pytest.mark.{MARKER} takes settings as keywords only, got {mark.args!r}"
            )
        merged.update(mark.kwargs)
    return merged


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def _mockvoso_worlds(pytestconfig: pytest.Config) -> Iterator[_Worlds]:
    worlds = _Worlds(base=_ini_overrides(pytestconfig), base_dir=pytestconfig.rootpath)
    yield worlds
    worlds.close()


@pytest.fixture
def _mockvoso_world(request: pytest.FixtureRequest, _mockvoso_worlds: _Worlds) -> _World:
    """This test's world, reset to the seed: no writes, faults, limits or journal of
    an earlier test remain (startup faults and a startup rate limit do)."""
    try:
        world = _mockvoso_worlds.get(_marker_overrides(request.node))
    except (ValueError, OSError) as exc:
        pytest.fail(f"mockvoso: bad settings for {request.node.nodeid}: {exc}", pytrace=False)
    world.reset()
    return world


@pytest.fixture
def mockvoso_app(_mockvoso_world: _World) -> Flask:
    """The mockvoso Flask app (reset before the test) for `app.test_client()` tests."""
    return _mockvoso_world.app


@pytest.fixture
def mockvoso(_mockvoso_world: _World) -> MockvosoServer:
    """A live mockvoso on 127.0.0.1 (free port), reset before the test.

    `.url`, `.token`, `.office`, `.offices`, `.app` and the control helpers
    (add_fault, set_rate_limit, requests, reset, snapshot/restore, ...).
    """
    return _mockvoso_world.live()


@pytest.fixture
def mockvoso_intercept(_mockvoso_world: _World) -> Iterator[Interception]:
    """requests/httpx calls to https://api.convoso.com served by this test's world."""
    from mockvoso.testing.intercept import Interception

    with Interception(app=_mockvoso_world.app) as interception:
        yield interception
