"""`mockvoso serve` in a subprocess for socket tests: started on a free port, bounded, stopped by pid."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT = 60.0  # a loaded CI machine may take long to seed; only a bound, not a measure
STOP_TIMEOUT = 15.0
_READY = re.compile(r"serving the Convoso API at (http://\S+)/v1")


def spawn(args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """`python -m mockvoso serve ARGS` in its own process group, pipes on stdout/stderr."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKVOSO_")}
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), full_env.get("PYTHONPATH")]))
    full_env.update(env or {})
    return subprocess.Popen(
        [sys.executable, "-m", "mockvoso", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=full_env,
        start_new_session=True,  # its own group: stopping it reaches granian's worker too
    )


def read_line(proc: subprocess.Popen[str], timeout: float = START_TIMEOUT) -> str | None:
    """The next stdout line, or None when the process ended (or timeout passed) first."""
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if sel.select(timeout=left):
                line = proc.stdout.readline()
                return line or None
    return None


def wait_ready(proc: subprocess.Popen[str]) -> str:
    """Block until the banner names the URL (the server answered its health probe)."""
    line = read_line(proc)
    match = _READY.search(line or "")
    if match is None:
        kill(proc)
        _, err = proc.communicate(timeout=STOP_TIMEOUT)
        raise AssertionError(f"server not ready: stdout={line!r} stderr={err!r}")
    return match.group(1)


def kill(proc: subprocess.Popen[str]) -> None:
    """SIGKILL the process group (the server and granian's worker) if still running."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(STOP_TIMEOUT)


def stop(proc: subprocess.Popen[str], sig: int = signal.SIGTERM) -> tuple[int, str, str]:
    """Send sig to the server; return its exit code, stdout and stderr (killed if stuck)."""
    try:
        if proc.poll() is None:
            proc.send_signal(sig)
        out, err = proc.communicate(timeout=STOP_TIMEOUT)
    finally:
        kill(proc)
    return proc.returncode, out, err
