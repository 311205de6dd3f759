"""Serving layer: the threaded waitress server, socket faults, and `serve()` in a subprocess."""

from __future__ import annotations

import errno
import http.client
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, request

from mockvoso.config import Settings, load_settings, settings_to_env
from mockvoso.serving.server import ThreadedServer, _claim_port
from mockvoso.sockets import DropConnection, SocketFaults, flask_drop_handler, mark_drop

REPO = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
TIMEOUT = 5.0  # every socket operation in this module is bounded
START_TIMEOUT = 60.0  # a bound on a subprocess's start on a loaded machine, not a measure


# --------------------------------------------------------------------------- stand-in app


def standin_app(settings: Settings) -> Flask:
    """A tiny app shaped like mockvoso's for what the server layer needs.

    Faults are wired the way the real app does it: a before_request hook raises
    DropConnection and flask_drop_handler turns it into the marker SocketFaults reads.
    Also the MOCKVOSO_APP target of the subprocess tests (`test_server:standin_app`).
    """
    app = Flask("standin")
    app.register_error_handler(DropConnection, flask_drop_handler)

    @app.before_request
    def faults() -> None:
        if request.path == "/drop":
            raise DropConnection(int(request.args.get("hang_ms", "0")))

    @app.get("/_mockvoso/health")
    def health() -> dict[str, Any]:
        return {"ok": True, "pid": os.getpid(), "port": settings.port}

    @app.get("/drop")
    def drop() -> dict[str, Any]:
        return {"never": "sent"}

    @app.get("/empty")
    def empty() -> tuple[str, int, dict[str, str]]:
        return "", 200, {"Content-Type": "application/json"}

    @app.get("/malformed")
    def malformed() -> tuple[str, int, dict[str, str]]:
        return '{"success": true, "data": {"entries": [', 200, {"Content-Type": "application/json"}

    return app


def plain_wsgi(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """No framework: raises DropConnection straight out of the WSGI call, or marks."""
    if environ["PATH_INFO"] == "/raise":
        raise DropConnection(0)
    if environ["PATH_INFO"] == "/mark":
        mark_drop(environ, 0)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


# --------------------------------------------------------------------------- helpers


def raw_get(url: str, path: str) -> tuple[bytes, float, str]:
    """GET over a bare socket; return every byte received, seconds to close, and how."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=TIMEOUT) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        started, data, ending = time.monotonic(), b"", "eof"
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except ConnectionResetError:
            ending = "reset"
        return data, time.monotonic() - started, ending


def http_get(url: str, path: str) -> tuple[int, bytes]:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def alive(pid: int) -> bool:
    """Running (a zombie counts as gone: it holds no socket and runs no code)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state != "Z"


@pytest.fixture
def standin() -> Iterator[ThreadedServer]:
    with ThreadedServer(standin_app(Settings()), threads=4) as server:
        yield server


# --------------------------------------------------------------------------- ThreadedServer


def test_threaded_server_starts_on_a_free_port_and_stops() -> None:
    server = ThreadedServer(standin_app(Settings()), threads=2)
    url = server.start()
    try:
        assert url == server.url
        assert url.startswith("http://127.0.0.1:") and server.port > 0
        status, body = http_get(url, "/_mockvoso/health")
        assert status == 200 and json.loads(body)["pid"] == os.getpid()
        thread = server._thread
    finally:
        server.stop()
    assert thread is not None and not thread.is_alive()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT)
    server.stop()  # a second stop is harmless


# --------------------------------------------------------------------------- socket faults


def test_drop_closes_with_no_response(standin: ThreadedServer) -> None:
    data, _, ending = raw_get(standin.url, "/drop")
    # Not one byte (no status line, no headers), and the server closed the connection:
    # recv() saw EOF or a reset well before the socket's TIMEOUT would have raised.
    assert (data, ending in ("eof", "reset")) == (b"", True)
    with pytest.raises(http.client.RemoteDisconnected):
        http_get(standin.url, "/drop")
    assert http_get(standin.url, "/_mockvoso/health")[0] == 200  # the server carries on


class Gate:
    """An injected sleep that blocks until released: a hang with no real waiting."""

    def __init__(self) -> None:
        self.asked: list[float] = []
        self.holding = threading.Event()
        self.opened = threading.Event()

    def sleep(self, seconds: float) -> None:
        self.asked.append(seconds)
        self.holding.set()
        assert self.opened.wait(TIMEOUT), "gate never opened"


def test_hang_holds_the_connection_then_drops() -> None:
    gate = Gate()
    app = SocketFaults(standin_app(Settings()), sleep=gate.sleep)
    with ThreadedServer(app, threads=2) as server, ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(raw_get, server.url, "/drop?hang_ms=300")
        assert gate.holding.wait(TIMEOUT)  # the server holds the connection, silent
        assert not pending.done()
        gate.opened.set()
        data, _, _ = pending.result(timeout=TIMEOUT)
    assert data == b"" and gate.asked == [0.3]


@pytest.mark.parametrize("path", ["/raise", "/mark"])
def test_drop_from_a_plain_wsgi_app(path: str) -> None:
    with ThreadedServer(plain_wsgi, threads=2) as server:
        assert raw_get(server.url, path)[0] == b""
        assert http_get(server.url, "/ok") == (200, b"ok")


def test_empty_and_malformed_are_plain_200s(standin: ThreadedServer) -> None:
    assert http_get(standin.url, "/empty") == (200, b"")
    status, body = http_get(standin.url, "/malformed")
    assert status == 200 and body.startswith(b'{"success": true')
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)


def test_socket_faults_per_server() -> None:
    calls: list[tuple[Any, ...]] = []

    def start_response(*args: Any) -> None:
        calls.append(args)

    slept: list[float] = []
    faults = SocketFaults(plain_wsgi, sleep=slept.append)
    # granian: an unparsable Content-Length on a streamed body; hyper then closes the
    # connection without writing (proved end to end in test_serve_in_a_subprocess).
    body = faults({"PATH_INFO": "/raise", "SERVER_SOFTWARE": "Granian"}, start_response)
    assert not isinstance(body, list) and list(body) == []
    assert calls[0][:2] == ("200 OK", [("Content-Length", "drop")])
    # A server that cannot drop (Werkzeug's test client) sees the exception itself.
    with pytest.raises(DropConnection):
        faults({"PATH_INFO": "/mark", "SERVER_SOFTWARE": "Werkzeug"}, start_response)
    environ = {"PATH_INFO": "/ok"}
    mark_drop(environ, 250)
    with pytest.raises(DropConnection):
        faults(environ, start_response)
    assert slept == [0.25]  # the hang happens before the drop, through the given sleep


# --------------------------------------------------------------------------- serve()


def test_settings_travel_through_the_environment() -> None:
    settings = Settings(port=0, threads=7, tokens=("a", "b"), error_rate=0.25, quiet=True)
    assert load_settings(environ=settings_to_env(settings)) == settings


@pytest.mark.skipif(sys.platform != "linux", reason="granian's SO_REUSEPORT bind is Linux's")
def test_a_taken_port_is_refused() -> None:
    # A plain listener, and one with SO_REUSEPORT like a second granian would hold:
    # the kernel would let granian share that one and split clients between two worlds.
    for reuse in (False, True):
        with socket.socket() as taken:
            if reuse:
                taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            with pytest.raises(OSError) as info:
                _claim_port("127.0.0.1", taken.getsockname()[1])
            assert info.value.errno == errno.EADDRINUSE


SERVE_SCRIPT = """
import sys
from mockvoso.config import Settings
from mockvoso.serving.server import serve

def ready(url):
    print(url, flush=True)

sys.exit(serve(Settings(server=sys.argv[1], port=0, threads=4, quiet=True), on_ready=ready))
"""


def start_serve(server: str) -> tuple[subprocess.Popen[str], str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO), str(TESTS), *filter(None, [env.get("PYTHONPATH")])]
    )
    env["MOCKVOSO_APP"] = "test_server:standin_app"
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE_SCRIPT, server],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group: Ctrl-C is simulated with killpg
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline and proc.poll() is None:
            if sel.select(timeout=deadline - time.monotonic()):
                return proc, proc.stdout.readline().strip()
    proc.kill()
    _, err = proc.communicate(timeout=TIMEOUT)
    pytest.fail(f"{server} did not become ready within {START_TIMEOUT} s: {err}")


@pytest.mark.parametrize(
    ("server", "sig", "group"),
    [
        ("granian", signal.SIGTERM, False),
        ("granian", signal.SIGINT, True),  # a terminal's Ctrl-C: the whole process group
        ("waitress", signal.SIGINT, True),
    ],
    ids=["granian-sigterm", "granian-ctrl-c", "waitress-ctrl-c"],
)
def test_serve_in_a_subprocess(server: str, sig: signal.Signals, group: bool) -> None:
    proc, url = start_serve(server)
    try:
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
        status, body = http_get(url, "/_mockvoso/health")
        assert status == 200
        health = json.loads(body)
        if server == "granian":
            # The world lives in granian's one worker process, told its real port.
            assert health["pid"] != proc.pid and health["port"] == int(url.rsplit(":", 1)[1])
        data, _, _ = raw_get(url, "/drop")
        assert data == b""  # a true drop under this server too
        # A real hang in a real server (no sleep to inject across processes): only a lower
        # bound, which a slow machine cannot break.
        data, seconds, _ = raw_get(url, "/drop?hang_ms=100")
        assert data == b"" and seconds >= 0.1
        if group:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
        _, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(TIMEOUT)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and err == "", err
    assert not alive(health["pid"])
