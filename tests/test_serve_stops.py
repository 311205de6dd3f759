"""`mockvoso serve` that cannot bind says so in one line (exit 2); a stop during start-up is quiet."""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator

import live
import pytest

from mockvoso.serving import cli

SERVERS = ["granian", "waitress"]


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    proc = live.spawn(args)
    try:
        out, err = proc.communicate(timeout=live.START_TIMEOUT)
    finally:
        live.kill(proc)
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.mark.parametrize("server", SERVERS)
def test_a_port_in_use_is_one_line_and_exit_2(server, taken_port):
    result = run(["--server", server, "--leads", "0", "--port", str(taken_port)])
    reason = os.strerror(errno.EADDRINUSE).lower()  # "address already in use" on Linux
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        f"mockvoso: cannot listen on 127.0.0.1:{taken_port}: {reason}\n",
    )


def resolver_text(host: str) -> str:
    """What this machine's resolver says about host, as mockvoso words it."""
    with pytest.raises(socket.gaierror) as info:
        socket.getaddrinfo(host, 8000, type=socket.SOCK_STREAM)
    text = info.value.strerror
    return text[:1].lower() + text[1:]


@pytest.mark.parametrize("server", SERVERS)
def test_an_unresolvable_host_is_one_line_and_exit_2(server):
    # An admin token: a non-loopback host without one is refused before any bind.
    result = run(["--server", server, "--leads", "0", "--host", "999.1.1.1", "--admin-token", "t"])
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        f"mockvoso: cannot listen on 999.1.1.1:8000: {resolver_text('999.1.1.1')}\n",
    )


@pytest.mark.parametrize("server", SERVERS)
def test_an_address_not_on_this_machine_is_one_line_and_exit_2(server):
    # 192.0.2.1 is TEST-NET-1 (RFC 5737): documentation only, never a local address.
    result = run(
        [
            *("--server", server, "--leads", "0", "--host", "192.0.2.1", "--port", "0"),
            "--admin-token",
            "t",
        ]
    )
    reason = os.strerror(errno.EADDRNOTAVAIL).lower()  # "cannot assign requested address"
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        f"mockvoso: cannot listen on 192.0.2.1:0: {reason}\n",
    )


# Runs the real CLI, and prints "starting" once serve() is under way: the test's event.
ANNOUNCING_CLI = """
import sys
from mockvoso.serving import cli

real = cli.load_settings

def announced(*args, **kwargs):
    print("starting", flush=True)
    return real(*args, **kwargs)

cli.load_settings = announced
sys.exit(cli.main(["serve", *sys.argv[1:]]))
"""


@pytest.mark.parametrize("server", SERVERS)
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_a_stop_during_start_up_is_quiet_and_exit_0(server, sig):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKVOSO_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(live.REPO), env.get("PYTHONPATH")]))
    proc = subprocess.Popen(
        [sys.executable, "-c", ANNOUNCING_CLI, "--server", server, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        assert live.read_line(proc) == "starting\n"
        proc.send_signal(sig)  # while settings load and the world is seeded
        out, err = proc.communicate(timeout=live.STOP_TIMEOUT)
    finally:
        live.kill(proc)
    assert (proc.returncode, out, err) == (0, "", "")


def test_a_server_gone_before_the_banner_is_quiet(monkeypatch, capsys):
    """A stop just after the health probe turned green: the banner's request fails."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        url = f"http://127.0.0.1:{closed.getsockname()[1]}"

        def stopped_right_after_ready(settings, *, on_ready):
            on_ready(url)
            return 0

        monkeypatch.setattr("mockvoso.serving.server.serve", stopped_right_after_ready)
        monkeypatch.delenv("MOCKVOSO_CONFIG", raising=False)
        before = signal.getsignal(signal.SIGTERM)
        assert cli.main(["serve", "--leads", "0"]) == 0
    assert capsys.readouterr() == ("", "")
    assert signal.getsignal(signal.SIGTERM) is before  # the start-up handler is undone


@pytest.mark.parametrize("server", SERVERS)
def test_sigterm_right_after_the_banner_is_quiet(server):
    proc = live.spawn(["--server", server, "--port", "0", "--leads", "5", "--threads", "4"])
    live.wait_ready(proc)
    try:
        os.killpg(proc.pid, signal.SIGTERM)  # the whole group, as a terminal or init would
        _, err = proc.communicate(timeout=live.STOP_TIMEOUT)
    finally:
        live.kill(proc)
    assert (proc.returncode, err) == (0, "")


# A stop whose KeyboardInterrupt Python swallowed (raised inside a callback it runs, e.g.
# logging's at-fork hook) leaves only the flag: each server must still stop on it.
SWALLOWED_STOP = """
import sys
from mockvoso.config import Settings
from mockvoso.serving.server import STOP_REQUESTED, serve

STOP_REQUESTED.set()
sys.exit(serve(Settings(server=sys.argv[1], port=0, leads=0, quiet=True), on_ready=print))
"""


@pytest.mark.parametrize("server", SERVERS)
def test_a_stop_flagged_before_the_server_started_ends_it(server):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKVOSO_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(live.REPO), env.get("PYTHONPATH")]))
    proc = subprocess.Popen(
        [sys.executable, "-c", SWALLOWED_STOP, server],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        _, err = proc.communicate(timeout=live.START_TIMEOUT)
    finally:
        live.kill(proc)
    assert (proc.returncode, err) == (0, "")
