"""Start and stop the servers under test: each in its own process group, bounded in time."""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEALTH_PATH = "/_mockvoso/health"
BARE_APP = "bench.bare_app:create_app"  # loaded by mockvoso serve through MOCKVOSO_APP
PRISM_SPEC = REPO / "bench" / "prism.yaml"
PRISM_PACKAGE = "@stoplight/prism-cli@5"
STOP_GRACE = 10.0  # seconds between SIGTERM and SIGKILL
# Every server runs under coreutils `timeout`: past this its whole process group gets
# SIGTERM (SIGKILL 10 s later), even if the bench itself was killed.
MAX_LIFETIME = 1200


class ServerError(RuntimeError):
    """A server did not become ready, or left processes behind."""


@dataclass
class Server:
    """One started server: its process (the group leader), base URL and start time."""

    name: str
    proc: subprocess.Popen[bytes]
    url: str
    port: int
    spawned_at: float
    ready_after: float = 0.0  # seconds from spawn to the first 200 of the ready probe
    log_path: Path | None = None
    # mockvoso: SIGTERM its main process only (granian's worker can hang when it gets the
    # signal too, see mockvoso/serving/server.py); others: SIGTERM the whole group.
    term_group: bool = True

    @property
    def pid(self) -> int:
        """The group leader (`timeout`), whose pid is also the process group id."""
        return self.proc.pid


_running: list[Server] = []
_lock = threading.Lock()
_log_dir: Path | None = None  # created on the first start


def free_port() -> int:
    """A port the kernel says is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def mockvoso_command() -> list[str]:
    """`mockvoso` next to this interpreter (the venv), else `python -m mockvoso.serving.cli`."""
    script = Path(sys.executable).with_name("mockvoso")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "mockvoso.serving.cli"]


def _probe(port: int, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        conn.close()


def _log_path(name: str) -> Path:
    """A fresh file for one server's stdout and stderr (kept for post-mortems)."""
    global _log_dir
    if _log_dir is None:
        _log_dir = Path(tempfile.mkdtemp(prefix="mockvoso-bench-logs-"))
    fd, path = tempfile.mkstemp(prefix=f"{name}-", suffix=".log", dir=_log_dir)
    os.close(fd)
    return Path(path)


def _spawn(
    name: str,
    argv: list[str],
    port: int,
    *,
    env: dict[str, str] | None = None,
    cwd: Path = REPO,
) -> Server:
    log_path = _log_path(name)
    bounded = ["timeout", "-k", "10", str(MAX_LIFETIME), *argv]
    with open(log_path, "wb") as log:
        spawned = time.perf_counter()
        proc = subprocess.Popen(
            bounded,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole, by id
        )
    server = Server(name, proc, f"http://127.0.0.1:{port}", port, spawned, log_path=log_path)
    with _lock:
        _running.append(server)
    return server


def _log_tail(server: Server, chars: int = 1200) -> str:
    try:
        text = server.log_path.read_text(errors="replace") if server.log_path else ""
    except OSError:
        return ""
    return f"; its output ({server.log_path}) ends: {text[-chars:].strip()}" if text else ""


def _wait_ready(
    server: Server,
    timeout: float,
    method: str = "GET",
    path: str = HEALTH_PATH,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    poll: float = 0.005,
) -> Server:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if _probe(server.port, method, path, body, headers or {}) == 200:
            server.ready_after = time.perf_counter() - server.spawned_at
            return server
        if server.proc.poll() is not None:
            stop(server)
            raise ServerError(
                f"{server.name} exited with {server.proc.returncode} before ready"
                + _log_tail(server)
            )
        time.sleep(poll)
    stop(server)
    raise ServerError(f"{server.name} not ready within {timeout:.0f} s" + _log_tail(server))


def mockvoso_env(root: Path = REPO, extra: dict[str, str] | None = None) -> dict[str, str]:
    """This environment without MOCKVOSO_* (defaults), the tree at root first on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKVOSO_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    env.update(extra or {})
    return env


def start_mockvoso(
    *args: str,
    name: str = "mockvoso",
    env_extra: dict[str, str] | None = None,
    timeout: float = 240.0,
    root: Path = REPO,
) -> Server:
    """`mockvoso serve --port P --quiet ARGS` on 127.0.0.1; returns once health is 200.

    root: the source tree to run (another commit's, see bench/baseline.py): then
    `python -m mockvoso` from that tree, never this checkout's console script.
    """
    port = free_port()
    env = mockvoso_env(root, env_extra)
    command = mockvoso_command() if root == REPO else [sys.executable, "-m", "mockvoso"]
    argv = [*command, "serve", "--host", "127.0.0.1", "--port", str(port), "--quiet"]
    server = _spawn(name, [*argv, *args], port, env=env, cwd=root)
    server.term_group = False
    return _wait_ready(server, timeout)


def start_bare(threads: int | None = None) -> Server:
    """The bare Flask app served by `mockvoso serve` itself: same granian, same options."""
    extra = ["--threads", str(threads)] if threads else []
    return start_mockvoso(
        *extra, "--leads", "0", name="bare-flask", env_extra={"MOCKVOSO_APP": BARE_APP}
    )


def prism_available() -> str | None:
    """Why Prism cannot run here, or None when npx is on PATH."""
    return None if shutil.which("npx") else "npx is not installed"


def prism_version() -> str:
    """The Prism version npx resolves PRISM_PACKAGE to (downloads it on a first run)."""
    argv = ["npx", "--yes", PRISM_PACKAGE, "--version"]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=180, cwd=REPO)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc})"
    return done.stdout.strip() or f"unknown (exit {done.returncode})"


def start_prism(probe_body: bytes, timeout: float = 180.0) -> Server:
    """Prism (Node) mocking bench/prism.yaml with logging off; ready when it answers 200."""
    port = free_port()
    argv = [
        "npx",
        "--yes",
        PRISM_PACKAGE,
        "mock",
        str(PRISM_SPEC),
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
        "-v",
        "silent",
    ]
    server = _spawn("prism", argv, port)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return _wait_ready(server, timeout, "POST", "/v1/leads/search", probe_body, headers, 0.1)


def _kill_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def group_members(pgid: int) -> list[int]:
    """Every live process whose process group is pgid (from /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields_after_name = stat.rsplit(")", 1)[1].split()
        state, pgrp = fields_after_name[0], int(fields_after_name[2])
        if pgrp == pgid and state != "Z":
            members.append(int(entry.name))
    return members


def stop(server: Server) -> None:
    """SIGTERM the server, SIGKILL its process group after STOP_GRACE; check none is left."""
    pgid = server.pid  # start_new_session: the leader's pid is the group id
    main = None if server.term_group else main_pid(server)
    if main is None or main == pgid:
        _kill_group(pgid, signal.SIGTERM)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.kill(main, signal.SIGTERM)  # `timeout` exits when its child does
    try:
        server.proc.wait(STOP_GRACE)
    except subprocess.TimeoutExpired:
        _kill_group(pgid, signal.SIGKILL)
        server.proc.wait(5)
    deadline = time.monotonic() + STOP_GRACE
    while group_members(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if group_members(pgid):
        _kill_group(pgid, signal.SIGKILL)
        time.sleep(0.2)
    with _lock:
        if server in _running:
            _running.remove(server)
    log = server.log_path
    clean_exit = server.proc.returncode in (0, -signal.SIGTERM, 128 + signal.SIGTERM)
    if log is not None and log.exists() and (clean_exit or log.stat().st_size == 0):
        log.unlink()  # kept only when the server failed and said something
    left = group_members(pgid)
    if left:
        raise ServerError(f"{server.name}: processes {left} still running after SIGKILL")


def stop_all() -> None:
    """Stop every server this process started and has not stopped yet."""
    with _lock:
        servers = list(_running)
    for server in servers:
        try:
            stop(server)
        except ServerError as exc:
            print(f"bench: {exc}", file=sys.stderr)
    if _log_dir is not None and _log_dir.exists() and not any(_log_dir.iterdir()):
        _log_dir.rmdir()


def rss_bytes(pid: int) -> int:
    """VmRSS of pid in bytes (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def worker_pid(server: Server) -> int:
    """granian's worker process: the member of the server's group holding the most memory."""
    return max(group_members(server.pid), key=rss_bytes, default=server.pid)


def main_pid(server: Server) -> int:
    """mockvoso serve's main process: the child of the `timeout` wrapper."""
    for pid in group_members(server.pid):
        if _parent(pid) == server.pid:
            return pid
    return server.pid


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError):
        return 0
