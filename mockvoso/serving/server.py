"""Serving: granian or waitress for `mockvoso serve`, waitress in a thread for tests, drops."""

from __future__ import annotations

import errno
import functools
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import fields, replace
from types import TracebackType
from typing import TYPE_CHECKING, Any

from mockvoso.config import ENV_PREFIX, Settings, settings_to_env
from mockvoso.sockets import with_socket_faults
from mockvoso.wire import CONTROL_PREFIX

if TYPE_CHECKING:
    from wsgiref.types import WSGIApplication

HEALTH_PATH = f"{CONTROL_PREFIX}/health"
# Seeding many large offices takes seconds; past this the server is declared failed.
READY_TIMEOUT = 120.0
READY_POLL = 0.02  # seconds between health probes while starting
# On Ctrl-C / SIGTERM, requests in flight get this long to end (injected latency and hangs
# are cut at once: see Mock.stopping); then pending webhook deliveries this long.
SHUTDOWN_GRACE = 3
# Set by `mockvoso serve` when SIGTERM/SIGINT arrives before a server's own handlers are
# in place. The KeyboardInterrupt raised with it can be swallowed (Python ignores an
# exception raised inside a __del__ or a callback it runs), so each server checks the
# flag once its handlers are installed and stops at once: no stop is ever lost.
STOP_REQUESTED = threading.Event()
FLUSH_TIMEOUT = 2.0
# Writing the state file at shutdown: granian's main process kills a worker that takes
# longer than its grace, so a worker with a state file gets this much more.
STATE_SAVE_GRACE = 60


# --------------------------------------------------------------------------- in-thread server


class ThreadedServer:
    """waitress in a daemon thread of this process: the pytest fixture's server.

    The app is wrapped in SocketFaults so drop/hang faults work here as under serve().
    """

    def __init__(
        self, app: WSGIApplication, host: str = "127.0.0.1", port: int = 0, threads: int = 32
    ) -> None:
        self.app: WSGIApplication = with_socket_faults(app)
        self.host = host
        self.port = port
        self.threads = threads
        self.url = ""
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        """Bind, start serving, and return the base URL, e.g. "http://127.0.0.1:PORT"."""
        if self._server is not None:
            return self.url
        from waitress.server import MultiSocketServer, create_server

        # create_server binds and listens before it returns, so once start() returns a
        # connect() cannot be refused; port=0 lets the kernel pick, with no race.
        server = create_server(self.app, host=self.host, port=self.port, threads=self.threads)
        self._server = server
        # A host name may resolve to several addresses (localhost: IPv4 and IPv6); waitress
        # then answers a MultiSocketServer, which has no single effective_port.
        if isinstance(server, MultiSocketServer):
            self.port = int(server.effective_listen[0][1])
        elif server.socket is not None:
            self.port = int(server.socket.getsockname()[1])
        else:  # pragma: no cover - create_server always returns a bound server
            raise RuntimeError("waitress returned a server without a socket")
        self.url = _base_url(self.host, self.port)
        self._thread = threading.Thread(target=server.run, name="mockvoso-waitress", daemon=True)
        self._thread.start()
        return self.url

    def drain(self, timeout: float) -> bool:
        """Stop accepting, then wait until no request is in flight (its response sent) or
        timeout; True when none is left. Bounded polling of waitress' channels."""
        server = self._server
        if server is None:
            return True
        from waitress import wasyncore
        from waitress.channel import HTTPChannel
        from waitress.server import BaseWSGIServer

        closed = threading.Event()

        def close_listeners() -> None:
            for obj in list(server._map.values()):
                if isinstance(obj, BaseWSGIServer):
                    # The listening socket only: BaseWSGIServer.close() would also close
                    # the trigger that workers pull when a response is ready.
                    wasyncore.dispatcher.close(obj)
            closed.set()

        deadline = time.monotonic() + timeout
        try:  # from the loop thread, which owns the socket map
            server.trigger.pull_trigger(close_listeners)
        except OSError:  # pragma: no cover - the trigger is already closed
            return True
        closed.wait(timeout)
        while True:
            busy = [
                channel
                for channel in list(server._map.values())
                if isinstance(channel, HTTPChannel)
                and (channel.requests or channel.total_outbufs_len)
            ]
            if not busy:
                return True
            if time.monotonic() >= deadline:
                return False
            closed.wait(READY_POLL)  # set already: a bounded poll interval

    def stop(self, timeout: float = 5.0) -> None:
        """Close every socket, end the loop thread and the worker threads."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._server = self._thread = None
        from waitress import wasyncore

        # The asyncore loop owns its socket map: close everything from inside the loop
        # thread (via the trigger), after which the loop sees an empty map and returns.
        try:
            server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map, ignore_all=True))
        except OSError:
            # The trigger's pipe is already closed (seen, rarely, when a dropped or hung
            # request ends while the server stops): close the map from here instead.
            wasyncore.close_all(server._map, ignore_all=True)
        thread.join(timeout)
        # Joins the worker threads; a request still sleeping (latency, hang) delays this.
        server.task_dispatcher.shutdown(timeout=timeout)

    def __enter__(self) -> ThreadedServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


# --------------------------------------------------------------------------- mockvoso serve


class CannotListen(OSError):
    """The server cannot bind its address; str() is the one line `mockvoso serve` prints."""

    def __init__(self, host: str, port: int, exc: BaseException) -> None:
        reason = getattr(exc, "strerror", None) or str(exc)
        # errno texts are capitalised ("Address already in use"); mid-sentence they are not.
        reason = reason[:1].lower() + reason[1:]
        where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        super().__init__(f"cannot listen on {where}: {reason}")


def _check_address(host: str, port: int) -> None:
    """Resolve host before any server is built: a bad name fails here, in one line.

    waitress would otherwise raise a bare "Invalid host/port specified." and granian a
    gaierror traceback, each after seconds of seeding.
    """
    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise CannotListen(host, port, exc) from None


def serve(
    settings: Settings,
    *,
    on_ready: Callable[[str], None] | None = None,
    access_log: bool = False,
) -> int:
    """Run the server until Ctrl-C / SIGTERM; return the process exit code. Main thread only.

    on_ready(url) is called (from a helper thread) once GET /_mockvoso/health answers 200;
    with settings.port == 0 the URL carries the port actually bound. Raises CannotListen
    (an OSError) when the address cannot be bound, ValueError for an unknown server.
    """
    _check_address(settings.host, settings.port)
    try:
        if settings.server == "granian":
            return _serve_granian(settings, on_ready, access_log)
        if settings.server == "waitress":
            return _serve_waitress(settings, on_ready)
    except KeyboardInterrupt:  # Ctrl-C before a server's own handlers were installed
        return 0
    raise ValueError(f"server: unknown server {settings.server!r} (granian or waitress)")


def _base_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _probe_host(host: str) -> str:
    # A wildcard bind is reached locally through loopback.
    return {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _claim_port(host: str, port: int) -> tuple[socket.socket | None, int]:
    """Bind (but do not listen on) host:port with SO_REUSEPORT; return it and the port.

    On Linux granian binds its listener with SO_REUSEPORT inside the worker process, so
    the port cannot be handed over as a socket. Holding this bound socket until the
    server ends keeps any other program off the port (port 0: the one the kernel picked)
    while the worker starts; granian's own SO_REUSEPORT bind still succeeds, and a socket
    that never listens is never given a connection. Remaining race: only another process
    of the same user binding that exact port with SO_REUSEPORT in the same window.
    Elsewhere granian binds in the main process, untested here: the port is picked and
    released, racy like any pick-then-bind.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    hold = sys.platform == "linux"
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if hold:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        bound = int(sock.getsockname()[1])
        # SO_REUSEPORT would also let a second mockvoso (granian) share a taken port and
        # the kernel would split clients between two in-memory worlds: refuse instead.
        if port and _listening(_probe_host(host), bound):
            raise OSError(errno.EADDRINUSE, os.strerror(errno.EADDRINUSE))
    except BaseException:
        sock.close()
        raise
    if not hold:
        sock.close()
        return None, bound
    return sock, bound


_ENV_NAMES = [ENV_PREFIX + f.name.upper() for f in fields(Settings)] + [ENV_PREFIX + "CONFIG"]


def _export_settings(settings: Settings) -> dict[str, str | None]:
    """Put exactly these settings into MOCKVOSO_* for the worker; return what to restore."""
    saved = {name: os.environ.get(name) for name in _ENV_NAMES}
    for name in _ENV_NAMES:
        # Stale variables (and MOCKVOSO_CONFIG, already merged into settings) would
        # otherwise be read again by load_settings() in the worker and win over CLI flags.
        os.environ.pop(name, None)
    os.environ.update(settings_to_env(settings))
    return saved


def _restore_env(saved: dict[str, str | None]) -> None:
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


class _ReadyWatcher:
    """Polls the health route from a daemon thread, then calls on_ready(url) once."""

    def __init__(
        self,
        url: str,
        probe: tuple[str, int],
        on_ready: Callable[[str], None] | None,
        on_timeout: Callable[[], None],
    ) -> None:
        self.url = url
        self.probe = probe
        self.on_ready = on_ready
        self.on_timeout = on_timeout
        self.ready = threading.Event()
        self.failed = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mockvoso-ready", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _healthy(self) -> bool:
        # A raw socket, not http.client: that import (email parsing and all) would add
        # ~40 ms to every start, and a status line is all this needs.
        request = f"GET {HEALTH_PATH} HTTP/1.1\r\nHost: mockvoso\r\nConnection: close\r\n\r\n"
        try:
            with socket.create_connection(self.probe, timeout=2) as sock:
                sock.sendall(request.encode())
                head = b""
                while b"\r\n" not in head and len(head) < 64:
                    chunk = sock.recv(64)
                    if not chunk:
                        break
                    head += chunk
        except OSError:
            return False
        return head.split(b"\r\n", 1)[0].split(b" ")[1:2] == [b"200"]

    def _run(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while not self._stop.is_set():
            if self._healthy():
                self.ready.set()
                if self.on_ready is not None:
                    self.on_ready(self.url)
                return
            if time.monotonic() > deadline:
                self.failed = True
                self.on_timeout()
                return
            self._stop.wait(READY_POLL)


def _granian_worker_app() -> WSGIApplication:
    """Runs in granian's worker process: block SIGINT, then build the app there.

    A terminal's Ctrl-C hits the whole process group. With SIGINT reaching the worker as
    well as the main process's SIGTERM, granian 2.8.9's worker hangs in about half of
    the runs (measured with the plain `granian` CLI); with SIGTERM alone it never did.
    So only the main process takes SIGINT and stops the worker with SIGTERM. The mask is
    set before granian starts its threads, which inherit it.
    """
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    from mockvoso.serving.wsgi import app_factory

    app = app_factory()
    mock = mock_of(app)
    if mock is not None:
        _stop_with_the_worker(mock)
    return app


def mock_of(app: Any) -> Any:
    """The Mock behind a WSGI app (through wrapping layers), or None (a stand-in)."""
    layer = app
    while layer is not None:
        extensions = getattr(layer, "extensions", None)
        if isinstance(extensions, dict) and "mockvoso" in extensions:
            return extensions["mockvoso"]
        # Wrappers: `__wrapped__` (a plugin's counter), `.app` (SocketFaults).
        layer = getattr(layer, "__wrapped__", None) or getattr(layer, "app", None)
    return None


def _stop_with_the_worker(mock: Any) -> None:
    """In granian's worker: cut injected waits when SIGTERM arrives, and flush webhooks and
    save the state file once granian has finished the requests in flight.

    granian installs its worker signal handlers after this factory returns, through
    granian._signals.set_main_signals: wrapping that function lets mockvoso see the
    signal first. The save runs as a multiprocessing finalizer: it runs when the worker's
    target returns (fork and spawn alike), after granian's server has stopped.
    """
    import multiprocessing.util

    from granian import _signals

    install = getattr(_signals, "set_main_signals", None)
    multiprocessing.util.Finalize(None, mock.shutdown, args=(FLUSH_TIMEOUT,), exitpriority=100)
    if install is None:  # pragma: no cover - another granian: hangs then run out their grace
        return

    def set_main_signals(handler: Any, reload_handler: Any = None) -> None:
        def on_signal(signum: int, frame: Any) -> None:
            mock.stopping.set()
            handler(signum, frame)

        install(on_signal, reload_handler)

    _signals.set_main_signals = set_main_signals


@functools.cache
def _granian_server_class() -> type[Any]:
    """granian's Server with two fixes for a one-worker, stop-by-signal server."""
    from granian.server import Server  # MPServer on GIL builds: always one child process

    class MockvosoGranian(Server):  # type: ignore[misc, valid-type]
        watcher: _ReadyWatcher | None = None

        def startup(self, spawn_target: Any, target_loader: Any) -> None:
            super().startup(spawn_target, target_loader)
            from mockvoso.serving import preseed

            preseed.cancel()  # the worker has its own copy; ours would hold the memory
            if STOP_REQUESTED.is_set():  # asked to stop before granian's handlers were in
                self.signal_handler_interrupt()
            # Started only now, after the worker was forked, so no thread of ours is
            # duplicated into the worker process.
            if self.watcher is not None:
                self.watcher.start()

        def shutdown(self, exit_code: int = 0) -> None:
            # Ctrl-C reaches the worker too (same process group); if it exits before the
            # main process has told it to, granian counts a crash and exits 1. A worker
            # gone while we were asked to stop is no failure.
            if self.interrupt_signal:
                self.interrupt_children.clear()
            super().shutdown(exit_code)

    return MockvosoGranian


def _serve_granian(
    settings: Settings, on_ready: Callable[[str], None] | None, access_log: bool
) -> int:
    from mockvoso.serving import preseed

    # Before anything heavy is imported: the helper's work overlaps the imports below
    # and the worker's, and the pinned anchor makes both seed the same data.
    settings = preseed.begin(settings)

    from granian.constants import Interfaces
    from granian.log import LogLevels

    try:
        reservation, port = _claim_port(settings.host, settings.port)
    except OSError as exc:
        raise CannotListen(settings.host, settings.port, exc) from None
    saved_env = _export_settings(replace(settings, port=port))
    url = _base_url(_probe_host(settings.host), port)

    def give_up() -> None:
        os.kill(os.getpid(), signal.SIGTERM)  # granian's own handler then stops cleanly

    watcher = _ReadyWatcher(url, (_probe_host(settings.host), port), on_ready, give_up)
    try:
        server = _granian_server_class()(
            # The target also names the process; the app is loaded by _granian_worker_app,
            # the same as `granian --interface wsgi --factory mockvoso.serving.wsgi:app_factory`.
            "mockvoso.serving.wsgi:app_factory",
            factory=True,
            address=settings.host,
            port=port,
            interface=Interfaces.WSGI,
            workers=1,  # several workers would each hold their own in-memory store
            blocking_threads=settings.threads,
            log_enabled=not settings.quiet,
            # Errors (a crashed worker, an app exception granian caught) still show; its
            # info chatter and the "too many threads" warning (it counts CPUs) do not.
            log_level=LogLevels.error,
            log_access=access_log and not settings.quiet,
            # then SIGKILL: still exit code 0
            workers_kill_timeout=SHUTDOWN_GRACE
            + int(FLUSH_TIMEOUT)
            + (STATE_SAVE_GRACE if settings.state_file else 0),
        )
        server.watcher = watcher
        # The loader runs in the worker process: the world is built and lives there.
        server.serve(target_loader=_granian_worker_app, wrap_loader=False)
        code = 0
    except SystemExit as exc:  # granian exits 1 when the worker died on its own
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        watcher.stop()
        if reservation is not None:
            reservation.close()
        _restore_env(saved_env)
    return 1 if watcher.failed else code


def _serve_waitress(settings: Settings, on_ready: Callable[[str], None] | None) -> int:
    from mockvoso.serving.wsgi import build_app

    # Injected latency keeps every thread busy on purpose; "Task queue depth" warnings
    # would then flood stderr through logging's last-resort handler.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    app = build_app(settings)  # in this process, before the signal handlers go in
    stop: list[int] = []

    def on_signal(signum: int, frame: Any) -> None:
        stop.append(signum)  # only a flag: the main thread does the stopping

    # Installed before the server threads start, so no Ctrl-C is missed.
    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    if STOP_REQUESTED.is_set():  # asked to stop while the app was being built
        stop.append(signal.SIGTERM)
    server = ThreadedServer(app, host=settings.host, port=settings.port, threads=settings.threads)
    watcher: _ReadyWatcher | None = None
    try:
        try:
            server.start()
        except (OSError, ValueError) as exc:  # waitress: ValueError for what it cannot parse
            raise CannotListen(settings.host, settings.port, exc) from None
        watcher = _ReadyWatcher(
            _base_url(_probe_host(settings.host), server.port),
            (_probe_host(settings.host), server.port),
            on_ready,
            lambda: stop.append(0),
        )
        watcher.start()
        # The loop runs in ThreadedServer's thread; this one waits for a signal. A short
        # timed wait keeps the stop latency low (PEP 475 retries the wait after a signal).
        idle = threading.Event()
        while not stop:
            idle.wait(0.1)
    finally:
        if watcher is not None:
            watcher.stop()
        mock = mock_of(app)
        if mock is not None:
            mock.stopping.set()  # hung and delayed fault requests end now
        # waitress' own close drops requests in flight: let them finish first.
        server.drain(SHUTDOWN_GRACE)
        server.stop(timeout=SHUTDOWN_GRACE)
        saved = mock.shutdown(FLUSH_TIMEOUT) if mock is not None else True
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if watcher is not None and watcher.failed:
        return 1
    return 0 if saved else 1
