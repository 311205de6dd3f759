"""Graceful shutdown over a real socket, on granian and waitress: in-flight requests end,
the state file is saved, and a restart with it finds the data again."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mockvoso.config import Settings

REPO = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
TIMEOUT = 20.0  # every wait in this module is bounded by this
IN_FLIGHT = "/_test/in-flight"


def inflight_app(settings: Settings, **kwargs: Any) -> Any:
    """mockvoso itself plus one route that is in flight until the server begins to stop.

    The MOCKVOSO_APP target of these subprocess servers (`test_shutdown:inflight_app`):
    it prints IN-FLIGHT (the test's event that the request is being served), waits for
    the mock's stopping event (set by SIGTERM), then answers. Without a graceful stop the
    client would get nothing.
    """
    from mockvoso.app import create_app

    app = create_app(settings, **kwargs)
    mock = app.extensions["mockvoso"]
    inner = app.wsgi_app

    def wsgi(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ["PATH_INFO"] == IN_FLIGHT:
            print("IN-FLIGHT", file=sys.stderr, flush=True)
            stopping = mock.stopping.wait(TIMEOUT)
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"finished after the signal" if stopping else b"no signal came"]
        return inner(environ, start_response)

    app.wsgi_app = wsgi  # type: ignore[method-assign]
    return app


class Server:
    """`mockvoso serve` in a subprocess on 127.0.0.1, its stdout and stderr read by threads."""

    def __init__(self, kind: str, state_file: Path, *extra: str) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(TESTS)])
        env["MOCKVOSO_APP"] = "test_shutdown:inflight_app"
        for name in list(env):
            if name.startswith("MOCKVOSO_") and name != "MOCKVOSO_APP":
                del env[name]
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mockvoso",
                "serve",
                "--server",
                kind,
                "--port",
                "0",
                "--threads",
                "4",
                "--leads",
                "20",
                "--state-file",
                str(state_file),
                *extra,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
        self.stderr: list[str] = []
        self.stdout: list[str] = []
        self.in_flight = threading.Event()
        self.banner = threading.Event()
        self._readers = [
            threading.Thread(target=self._read, args=(self.proc.stdout, self.stdout), daemon=True),
            threading.Thread(target=self._read, args=(self.proc.stderr, self.stderr), daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        if not self.banner.wait(TIMEOUT):
            self.kill()
            pytest.fail(f"server not ready: {''.join(self.stdout)} {''.join(self.stderr)}")
        text = "".join(self.stdout)
        url = re.search(r"at (http://127\.0\.0\.1:\d+)/v1", text)
        token = re.search(r"auth_token=(\S+)", text)
        assert url and token, text
        self.url, self.token = url.group(1), token.group(1)

    def _read(self, stream: Any, into: list[str]) -> None:
        for line in stream:
            into.append(line)
            if line.strip() == "IN-FLIGHT":
                self.in_flight.set()
            if line.startswith("control plane:"):  # the banner's last line
                self.banner.set()

    def call(self, method: str, path: str, params: dict[str, str] | None = None) -> Any:
        host, port = self.url.removeprefix("http://").rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)
        try:
            query = "?" + urllib.parse.urlencode(params) if params else ""
            conn.request(method, path + query)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        self.proc.send_signal(sig)
        code = self.proc.wait(TIMEOUT)
        for reader in self._readers:
            reader.join(TIMEOUT)
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(TIMEOUT)


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        server.kill()


SERVERS = ["granian", "waitress"]


@pytest.mark.parametrize("kind", SERVERS)
def test_in_flight_request_finishes_and_state_is_saved(
    kind: str, tmp_path: Path, servers: list[Server]
) -> None:
    state = tmp_path / "state.jsonl"
    server = Server(kind, state)
    servers.append(server)
    answers: list[tuple[int, bytes]] = []
    client = threading.Thread(target=lambda: answers.append(server.call("GET", IN_FLIGHT)))
    client.start()
    assert server.in_flight.wait(TIMEOUT), "".join(server.stderr)
    assert server.stop(signal.SIGTERM) == 0, "".join(server.stderr)
    client.join(TIMEOUT)
    assert answers == [(200, b"finished after the signal")]
    assert f"mockvoso: state saved to {state}\n" in server.stderr
    err = "".join(server.stderr)
    assert "Traceback" not in err, err
    assert state.is_file() and state.read_bytes().startswith(b'{"format":"mockvoso-state"')


@pytest.mark.parametrize("kind", SERVERS)
def test_restart_round_trip_keeps_an_inserted_lead(
    kind: str, tmp_path: Path, servers: list[Server]
) -> None:
    state = tmp_path / "state.jsonl"
    first = Server(kind, state)
    servers.append(first)
    params = {"auth_token": first.token, "list_id": "2702", "phone_number": "5305550177"}
    status, body = first.call("POST", "/v1/leads/insert", params)
    assert status == 200, body
    lead_id = json.loads(body)["data"]["lead_id"]
    assert first.stop(signal.SIGINT if kind == "waitress" else signal.SIGTERM) == 0

    second = Server(kind, state)
    servers.append(second)
    search = {"auth_token": second.token, "lead_id": str(lead_id)}
    status, body = second.call("POST", "/v1/leads/search", search)
    assert status == 200, body
    entries = json.loads(body)["data"]["entries"]
    assert [(int(e["id"]), e["phone_number"]) for e in entries] == [(lead_id, "5305550177")]
    # The next id continues after the saved one, not after the seed's.
    status, body = second.call("POST", "/v1/leads/insert", params | {"auth_token": second.token})
    assert json.loads(body)["data"]["lead_id"] == lead_id + 1
    assert second.stop() == 0


@pytest.mark.parametrize("kind", SERVERS)
def test_a_hung_fault_request_is_cut_at_shutdown(
    kind: str, tmp_path: Path, servers: list[Server]
) -> None:
    """A request held by a 60 s hang fault does not hold the stop: it is cut (the client
    reads the dropped connection at once) and the server still saves and exits 0."""
    server = Server(kind, tmp_path / "state.jsonl")
    servers.append(server)
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    outcome: list[BaseException | tuple[int, bytes]] = []

    def hung_call() -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)
        try:
            path = f"/v1/leads/search?auth_token={server.token}"
            conn.request("GET", path, headers={"X-Mockvoso-Fault": "fault=hang,hang=60000"})
            response = conn.getresponse()
            outcome.append((response.status, response.read()))
        except (http.client.HTTPException, OSError) as exc:
            outcome.append(exc)
        finally:
            conn.close()

    client = threading.Thread(target=hung_call)
    client.start()
    # The journal records the request before its hang begins: bounded polling until then.
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        status, body = server.call("GET", "/_mockvoso/requests")
        if status == 200 and json.loads(body)["requests"]:
            break
        server.banner.wait(0.02)  # set already: a bounded poll interval
    else:
        pytest.fail("the hung request never reached the journal")
    assert json.loads(body)["requests"][0]["status"] is None  # hanging, unanswered
    assert server.stop() == 0, "".join(server.stderr)
    client.join(TIMEOUT)
    assert not client.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], http.client.RemoteDisconnected)
    assert f"mockvoso: state saved to {tmp_path / 'state.jsonl'}\n" in server.stderr
