"""The README's examples, run: its curl blocks with bash and curl against a live server, its Python as tests."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import TEST_SETTINGS
from mockvoso.app import create_app
from mockvoso.serving.server import ThreadedServer

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
TOKEN = "acmefull499bf56dd125ac3f46bb39e0"
README_BASE = "http://127.0.0.1:8000"  # the address the README's examples use
TIMEOUT = 120  # bounds each subprocess; no test waits for it

needs_curl = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")


def blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", README, flags=re.S | re.M)


def curl_blocks() -> list[str]:
    """The bash blocks that talk to a running mockvoso (not install or docker commands)."""
    return [b for b in blocks("bash") if "curl " in b and ("$U" in b or "$C" in b)]


@pytest.fixture(scope="module")
def slept() -> list[float]:
    return []


@pytest.fixture(scope="module")
def live(slept: list[float]) -> Iterator[str]:
    # Injected latency is recorded, not waited for: the examples add 300 ms rules.
    app = create_app({**TEST_SETTINGS, "leads": 50}, sleep=slept.append)
    with ThreadedServer(app, threads=8) as server:
        yield server.url


# Every curl call of a block goes through this function: it logs the status and body
# of each answer (one JSON line per call) and hands the body on, so `$(curl …)` works.
CURL_LOGGER = r"""
curl() {
  local out
  out=$(command curl -sS -w '\n%{http_code}' "$@") || return
  python3 -c 'import json, sys; body, _, code = sys.argv[1].rpartition("\n"); print(json.dumps({"status": int(code), "body": body}))' "$out" >> "$CURL_LOG"
  printf '%s' "${out%$'\n'*}"
}
"""


def run_block(block: str, url: str, tmp_path: Path) -> list[dict[str, Any]]:
    log = tmp_path / "curl.log"
    log.write_text("")
    script = CURL_LOGGER + block.replace(README_BASE, url)
    env = {
        **os.environ,
        "U": f"{url}/v1",
        "T": TOKEN,
        "C": f"{url}/_mockvoso",
        "CURL_LOG": str(log),
    }
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    for call in calls:
        call["json"] = json.loads(call["body"]) if call["body"] else None
    return calls


def reset(url: str) -> None:
    subprocess.run(
        ["curl", "-sS", "-X", "POST", f"{url}/_mockvoso/reset"],
        capture_output=True,
        check=True,
        timeout=TIMEOUT,
    )


def python_blocks() -> list[str]:
    """The Python blocks run as tests (the webhook receiver, a server, runs on its own)."""
    return [b for b in blocks("python") if "serve_forever()" not in b]


def test_the_readme_has_the_blocks_these_tests_run() -> None:
    assert len(curl_blocks()) == 9
    assert len(python_blocks()) == 5


@needs_curl
def test_api_examples_change_only_what_they_inserted(live: str, tmp_path: Path) -> None:
    reset(live)
    (api_block,) = [b for b in curl_blocks() if '"$U/leads/insert"' in b]
    calls = run_block(api_block, live, tmp_path)
    assert len(calls) >= 13 and all(c["status"] == 200 for c in calls), calls
    # Every call succeeds but the one the README marks as refused (check_dnc: 6011).
    refused = [c["json"]["code"] for c in calls if c["json"]["success"] is not True]
    assert refused == [6011], calls
    insert, update, search, _, delete = calls[:5]
    lead_id = insert["json"]["data"]["lead_id"]
    assert update["json"] == {"success": True, "data": {"lead_id": str(lead_id)}}
    assert [e["id"] for e in search["json"]["data"]["entries"]] == [str(lead_id)]
    assert search["json"]["data"]["entries"][0]["status"] == "SALE"
    assert delete["json"] == {"success": True}
    list_insert, list_update, _, list_delete = calls[5:9]
    list_id = list_insert["json"]["data"]["list_id"]
    assert list_update["json"] == {"success": True, "data": {"list_id": list_id}}
    assert list_delete["json"] == {"success": True}
    # The journal shows the writes aimed at the new lead and list, not at seeded ones.
    journal = json.loads(
        subprocess.run(
            ["curl", "-sS", f"{live}/_mockvoso/requests"],
            capture_output=True,
            check=True,
            timeout=TIMEOUT,
        ).stdout
    )["requests"]
    targets = {
        (e["endpoint"], e["params"].get("lead_id") or e["params"].get("list_id"))
        for e in journal
        if e["endpoint"] in ("leads/update", "leads/delete", "lists/update", "lists/delete")
    }
    assert targets == {
        ("leads/update", str(lead_id)),
        ("leads/delete", str(lead_id)),
        ("lists/update", str(list_id)),
        ("lists/delete", str(list_id)),
    }


@needs_curl
def test_fault_examples(live: str, tmp_path: Path, slept: list[float]) -> None:
    reset(live)
    (faults_block,) = [b for b in curl_blocks() if "$C/faults -d" in b]
    calls = run_block(faults_block, live, tmp_path)
    assert [c["status"] for c in calls] == [201, 201, 201, 201, 200, 200, 200]
    assert [c["json"]["fault"]["id"] for c in calls[:4]] == ["f1", "f2", "f3", "f4"]
    assert [f["id"] for f in calls[4]["json"]["faults"]] == ["f1", "f2", "f3", "f4"]
    (header_block,) = [b for b in curl_blocks() if "X-Mockvoso-Fault:" in b]
    slept.clear()
    (call,) = run_block(header_block, live, tmp_path)
    assert (call["status"], call["json"]) == (
        503,
        {"success": False, "code": 503, "text": "Service Unavailable"},
    )
    assert slept == [0.3]


@needs_curl
def test_rate_limit_and_journal_examples(live: str, tmp_path: Path) -> None:
    reset(live)
    (rate_block,) = [b for b in curl_blocks() if "$C/rate-limit" in b]
    calls = run_block(rate_block, live, tmp_path)
    assert [c["status"] for c in calls] == [200, 200, 200]
    limit = {"requests": 3, "per_seconds": 60.0, "scope": "token"}
    assert calls[0]["json"] == {"rate_limit": limit}
    assert calls[1]["json"] == {"rate_limit": limit}
    (journal_block,) = [b for b in curl_blocks() if "$C/requests" in b]
    calls = run_block(journal_block, live, tmp_path)
    assert [c["status"] for c in calls] == [200, 200]
    assert calls[0]["json"] == {"requests": [], "dropped": 0}


# The intercept example calls a client of the reader's; this one stands in for it.
MY_CLIENT = f"""
import types

import requests


def _sync_leads():
    requests.post(
        "https://api.convoso.com/v1/leads/insert",
        data={{"auth_token": "{TOKEN}", "list_id": 2701, "phone_number": "5305550101"}},
        timeout=5,
    )


my_client = types.SimpleNamespace(sync_leads=_sync_leads)
"""


PYTEST_OPTIONS = ["-q", "-p", "no:cacheprovider", "-p", "no:randomly", "-n", "0"]


def test_python_test_examples_pass(tmp_path: Path) -> None:
    """The fixture, marker, test-client and intercept examples, run as a test suite."""
    fixture, marker, test_client, intercept, _control = python_blocks()
    files = {
        "test_fixture_example.py": fixture,
        "test_marker_example.py": marker,
        "test_test_client_example.py": test_client,
        "test_intercept_example.py": MY_CLIENT + intercept,
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKVOSO_")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *PYTEST_OPTIONS, *files],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^6 passed", result.stdout.splitlines()[-1]), result.stdout


def test_control_client_example_runs(live: str) -> None:
    control = python_blocks()[4]
    assert "http://localhost:8000" in control
    result = subprocess.run(
        [sys.executable, "-c", control.replace("http://localhost:8000", live)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # No log/retrieve call was made, then the refused rule (status 200) as ControlError.
    assert result.stdout.splitlines() == [
        "[]",
        "POST /faults -> HTTP 400: status: must be an HTTP status 400..599, got 200",
    ]


@needs_curl
def test_data_clock_and_webhook_examples(live: str, tmp_path: Path) -> None:
    reset(live)
    (data_block,) = [b for b in curl_blocks() if "$C/offices/ACME/data" in b]
    calls = run_block(data_block, live, tmp_path)
    assert calls and all(c["status"] == 200 for c in calls)
    assert calls[0]["json"]["office"] == "ACME"
    (clock_block,) = [b for b in curl_blocks() if "$C/clock" in b and "$C/simulate" not in b]
    calls = run_block(clock_block, live, tmp_path)
    assert [c["status"] for c in calls] == [200, 200, 200]
    assert calls[2]["json"] == {"now": "2026-03-01 10:00:00", "frozen": True}
    (hook_block,) = [b for b in curl_blocks() if "$C/webhooks" in b]
    (call,) = run_block(hook_block, live, tmp_path)
    assert call["status"] == 201 and call["json"]["webhook"]["format"] == "form"
    reset(live)


def test_the_webhook_receiver_example_receives_a_lead(tmp_path: Path) -> None:
    """The README's receiver, run as written (on a free port), gets a lead insert."""
    (receiver,) = [b for b in blocks("python") if "serve_forever()" in b]
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = tmp_path / "receiver.py"
    script.write_text(receiver.replace("9000", str(port)))
    proc = subprocess.Popen(
        [sys.executable, "-u", str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        app = create_app({**TEST_SETTINGS, "leads": 0})
        client = app.test_client()
        hook = {
            "url": f"http://127.0.0.1:{port}/hook",
            "format": "form",
            "fields": {"phone": "phone_number"},
            "retries": 10,
        }
        assert client.post("/_mockvoso/webhooks", json=hook).status_code == 201
        lists = client.post("/v1/lists/search", data={"auth_token": TOKEN}).get_json()["data"]
        body = {"auth_token": TOKEN, "list_id": lists[0]["id"], "phone_number": "5305550199"}
        assert client.post("/v1/leads/insert", data=body).get_json()["success"] is True
        # Retries (0.1 s, 0.2 s, …) cover the receiver's own start-up.
        assert client.post("/_mockvoso/webhooks/flush", json={"timeout": 30}).get_json() == {
            "pending": 0
        }
        (delivery,) = client.get("/_mockvoso/webhooks/deliveries").get_json()["deliveries"]
        assert delivery["status"] == "delivered"
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=TIMEOUT)
    assert "lead.inserted b'phone=5305550199'" in out


@needs_curl
def test_dialer_example(live: str, tmp_path: Path) -> None:
    reset(live)
    (block,) = [b for b in curl_blocks() if "$C/simulate" in b]
    simulated, advanced = run_block(block, live, tmp_path)
    assert simulated["status"] == 200 and simulated["json"]["office"] == "ACME"
    assert simulated["json"]["calls"] == 50 == len(simulated["json"]["call_log_ids"])
    assert advanced["status"] == 200 and set(advanced["json"]) == {"now", "frozen"}
    reset(live)
