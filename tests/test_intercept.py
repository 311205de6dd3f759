"""mockvoso.intercept(): requests and httpx (sync and async) served in process, no socket."""

from __future__ import annotations

import asyncio
import importlib.util
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import requests

import mockvoso
from mockvoso.app import create_app
from mockvoso.handlers import MALFORMED_BODY
from mockvoso.serving.server import ThreadedServer
from mockvoso.testing.intercept import DEFAULT_HOSTS, Interception, intercept

CONVOSO = "https://api.convoso.com"
ACME_FULL = "acmefull499bf56dd125ac3f46bb39e0"
SMALL = {"leads": 20}


def hello_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Not Convoso: proves a call to another host really went over the network."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello from " + environ["PATH_INFO"].encode()]


@pytest.fixture(scope="module")
def elsewhere() -> Iterator[str]:
    with ThreadedServer(hello_app, threads=2) as server:
        yield server.url


@pytest.fixture(scope="module")
def convoso() -> Iterator[Interception]:
    """One interception for the module (built once), reset before each test."""
    interception = intercept(**SMALL)
    yield interception
    interception.stop()


@pytest.fixture
def active(convoso: Interception) -> Iterator[Interception]:
    with convoso:
        yield convoso


def insert(client: Any, phone: str, base: str = CONVOSO) -> Any:
    return client.post(
        f"{base}/v1/leads/insert",
        data={"auth_token": ACME_FULL, "list_id": "2701", "phone_number": phone},
    )


def find(client: Any, phone: str, base: str = CONVOSO) -> str:
    response = client.get(
        f"{base}/v1/leads/search", params={"auth_token": ACME_FULL, "phone_number": phone}
    )
    return str(response.json()["data"]["total"])


def test_the_yielded_object(active: Interception) -> None:
    assert active.url == "https://api.convoso.com"
    assert active.hosts == DEFAULT_HOSTS
    assert active.token == ACME_FULL
    assert active.office == "ACME"
    assert [o["acronym"] for o in active.offices] == ["ACME", "BRAVO"]
    assert active.app.extensions["mockvoso"].settings.leads == 20
    assert active.app.extensions["mockvoso"].settings.clock == "2026-01-01T00:00:00"


def test_requests_calls_are_served_in_process(active: Interception) -> None:
    response = insert(requests, "5305550101")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert isinstance(response.json()["data"]["lead_id"], int)
    assert find(requests, "5305550101") == "1"
    with requests.Session() as session:  # sessions and prepared requests too
        assert find(session, "5305550101") == "1"
    entries = active.requests()
    assert [(e["method"], e["endpoint"], e["status"]) for e in entries] == [
        ("POST", "leads/insert", 200),
        ("GET", "leads/search", 200),
        ("GET", "leads/search", 200),
    ]
    assert entries[0]["params"]["phone_number"] == "5305550101"


def test_httpx_sync_and_async_calls_are_served(active: Interception) -> None:
    with httpx.Client() as client:
        assert insert(client, "5305550102").json()["success"] is True
        assert find(client, "5305550102") == "1"
    assert find(httpx, "5305550102") == "1"

    async def main() -> list[str]:
        async with httpx.AsyncClient() as client:
            inserted = await insert(client, "5305550103")
            assert inserted.json()["success"] is True
            found = await asyncio.gather(
                *(
                    client.get(
                        f"{CONVOSO}/v1/leads/search",
                        params={"auth_token": ACME_FULL, "phone_number": phone},
                    )
                    for phone in ("5305550102", "5305550103", "5305550199")
                )
            )
            return [r.json()["data"]["total"] for r in found]

    assert asyncio.run(main()) == ["1", "1", "0"]
    assert len(active.requests(endpoint="leads/search")) == 5


def test_json_bodies_and_the_recordings_host(active: Interception) -> None:
    user = active.offices[0]["users"][0]["email"]
    response = requests.post(
        "https://api.safesoft.io/v1/users/recordings",
        json={"auth_token": ACME_FULL, "user": user, "limit": 2},
    )
    assert response.status_code == 200
    assert response.json()["data"]["limit"] == 2
    assert active.requests()[0]["path"] == "/v1/users/recordings"


def test_each_activation_starts_from_the_seed(convoso: Interception) -> None:
    with convoso:
        insert(requests, "5305550104")
        convoso.add_fault(endpoint="campaigns/search", status=500)
        convoso.set_rate_limit(100, 1)
        assert find(requests, "5305550104") == "1"
    with convoso:
        assert find(requests, "5305550104") == "0"
        assert convoso.faults() == []
        assert convoso.get_rate_limit() is None
        assert len(convoso.requests()) == 1


def test_other_hosts_pass_through(active: Interception, elsewhere: str) -> None:
    assert requests.get(f"{elsewhere}/ping", timeout=5).text == "hello from /ping"
    assert httpx.get(f"{elsewhere}/ping").text == "hello from /ping"

    async def main() -> str:
        async with httpx.AsyncClient() as client:
            return (await client.get(f"{elsewhere}/async")).text

    assert asyncio.run(main()) == "hello from /async"
    assert active.requests() == []


def test_httpx_over_repeated_activations(convoso: Interception, elsewhere: str) -> None:
    """The respx router is built once and restarted: every activation intercepts
    (host names in any case) and passes other hosts through; none leaks into the next."""
    for round_no in range(3):
        with convoso:
            phone = f"530555020{round_no}"
            assert insert(httpx, phone, base="https://API.Convoso.COM").status_code == 200
            assert find(httpx, phone) == "1"
            assert find(httpx, "5305550200") == ("1" if round_no == 0 else "0")
            assert httpx.get(f"{elsewhere}/r{round_no}").text == f"hello from /r{round_no}"
            assert [r["path"] for r in convoso.requests()] == ["/v1/leads/insert"] + [
                "/v1/leads/search"
            ] * 2
    with pytest.raises(httpx.ConnectError):  # unpatched: the network, unresolvable
        httpx.get("https://api.convoso.invalid/v1/leads/search", timeout=5)


def test_nothing_is_patched_outside(convoso: Interception, elsewhere: str) -> None:
    with convoso:
        assert convoso.active
    assert not convoso.active
    with pytest.raises(requests.ConnectionError):  # unresolvable: would be the network
        requests.get("https://api.convoso.invalid/v1/leads/search", timeout=5)
    assert requests.get(f"{elsewhere}/after", timeout=5).text == "hello from /after"


def test_decorator_sync_and_async() -> None:
    convoso = intercept(**SMALL)
    seen: list[str] = []

    @convoso
    def write_then_count(phone: str) -> None:
        seen.append(find(requests, phone))
        insert(requests, phone)
        seen.append(find(requests, phone))

    @convoso
    async def count(phone: str) -> None:
        async with httpx.AsyncClient() as client:
            seen.append(await _afind(client, phone))

    write_then_count("5305550105")
    write_then_count("5305550105")  # a fresh world again
    asyncio.run(count("5305550105"))
    assert seen == ["0", "1", "0", "1", "0"]
    assert write_then_count.__name__ == "write_then_count"
    assert not convoso.active


async def _afind(client: httpx.AsyncClient, phone: str) -> str:
    response = await client.get(
        f"{CONVOSO}/v1/leads/search", params={"auth_token": ACME_FULL, "phone_number": phone}
    )
    return str(response.json()["data"]["total"])


@mockvoso.intercept
def test_bare_decorator_on_a_test() -> None:
    assert find(requests, "5305550106") == "0"


def test_module_is_callable_however_imported() -> None:
    import mockvoso.intercept as module

    assert mockvoso.testing.intercept is module
    assert isinstance(mockvoso.intercept(), Interception)


def test_importing_mockvoso_loads_no_http_library() -> None:
    code = (
        "import sys, mockvoso\n"
        "heavy = {'requests', 'httpx', 'responses', 'respx', 'flask'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
        "mockvoso.intercept\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out == "[]\n[]\n"  # even mockvoso.testing.intercept imports them only when started


# --------------------------------------------------------------------------- faults


def test_status_and_domain_error_faults(active: Interception) -> None:
    active.add_fault(endpoint="leads/search", status=503, times=1)
    active.add_fault(endpoint="leads/update", error_code=6001)
    response = requests.get(f"{CONVOSO}/v1/leads/search", params={"auth_token": ACME_FULL})
    assert response.status_code == 503
    assert response.headers["X-Mockvoso-Fault"] == "f1"
    assert response.json() == {"success": False, "code": 503, "text": "Service Unavailable"}
    response = httpx.post(
        f"{CONVOSO}/v1/leads/update", data={"auth_token": ACME_FULL, "lead_id": "900000001"}
    )
    assert response.status_code == 200
    assert response.json() == {"success": False, "code": 6001, "text": "No such Lead"}
    assert [e["fault"] for e in active.requests()] == ["f1", "f2"]


def test_empty_and_malformed_bodies(active: Interception) -> None:
    active.add_fault(endpoint="leads/search", fault="empty", times=1)
    active.add_fault(endpoint="leads/search", fault="malformed", times=1)
    empty = requests.get(f"{CONVOSO}/v1/leads/search", params={"auth_token": ACME_FULL})
    assert (empty.status_code, empty.content) == (200, b"")
    malformed = httpx.get(f"{CONVOSO}/v1/leads/search", params={"auth_token": ACME_FULL})
    assert (malformed.status_code, malformed.content) == (200, MALFORMED_BODY)
    with pytest.raises(ValueError):
        malformed.json()


def test_rate_limit(active: Interception) -> None:
    active.set_rate_limit(1, 60)
    first = requests.get(f"{CONVOSO}/v1/campaigns/search", params={"auth_token": ACME_FULL})
    second = httpx.get(f"{CONVOSO}/v1/campaigns/search", params={"auth_token": ACME_FULL})
    assert (first.status_code, second.status_code) == (200, 429)
    assert second.headers["Retry-After"] == "60"
    assert second.headers["X-RateLimit-Limit"] == "1"
    assert second.json() == {"success": False, "code": 429, "text": "Too Many Requests"}


def test_latency_past_the_client_timeout_is_a_read_timeout(active: Interception) -> None:
    active.add_fault(endpoint="campaigns/search", latency_ms=60_000)
    url = f"{CONVOSO}/v1/campaigns/search"
    started = time.monotonic()
    with pytest.raises(requests.ReadTimeout):
        requests.get(url, params={"auth_token": ACME_FULL}, timeout=(5, 0.05))
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(url, params={"auth_token": ACME_FULL}, timeout=0.05)
    # The wait stops at the client's timeout, not after the rule's 60 s.
    assert time.monotonic() - started < 5
    # The server still handled both requests, as a live one would.
    assert [e["status"] for e in active.requests()] == [200, 200]


def test_drop_is_a_connection_error(active: Interception) -> None:
    active.add_fault(endpoint="leads/search", fault="drop")
    url = f"{CONVOSO}/v1/leads/search"
    with pytest.raises(requests.ConnectionError) as info:
        requests.get(url, params={"auth_token": ACME_FULL})
    assert "Remote end closed connection without response" in str(info.value)
    with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected"):
        httpx.get(url, params={"auth_token": ACME_FULL})

    async def main() -> None:
        async with httpx.AsyncClient() as client:
            await client.get(url, params={"auth_token": ACME_FULL})

    with pytest.raises(httpx.RemoteProtocolError):
        asyncio.run(main())


def test_hang_until_the_client_times_out(active: Interception) -> None:
    active.add_fault(endpoint="leads/search", fault="hang", hang_ms=60_000)
    url = f"{CONVOSO}/v1/leads/search"
    started = time.monotonic()
    with pytest.raises(requests.ReadTimeout):
        requests.get(url, params={"auth_token": ACME_FULL}, timeout=0.05)
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(url, params={"auth_token": ACME_FULL}, timeout=0.05)
    assert time.monotonic() - started < 5


# --------------------------------------------------------------------------- options


def test_custom_hosts_and_settings(elsewhere: str) -> None:
    with intercept(hosts=["https://convoso.internal.example/v1"], leads=3, seed=7) as mock:
        assert mock.url == "https://convoso.internal.example"
        base = "http://convoso.internal.example:8080"
        assert find(requests, "5305550109", base=base) == "0"
        response = requests.get(f"{base}/v1/leads/search", params={"auth_token": ACME_FULL})
        assert response.json()["data"]["total"] == "3"
        assert requests.get(f"{elsewhere}/x", timeout=5).text == "hello from /x"


def test_startup_faults_survive_the_reset_of_each_activation() -> None:
    mock = intercept(leads=3, faults=[{"endpoint": "campaigns/search", "status": 502}])
    for _ in range(2):
        with mock:
            response = requests.get(
                f"{CONVOSO}/v1/campaigns/search", params={"auth_token": ACME_FULL}
            )
            assert (response.status_code, response.headers["X-Mockvoso-Fault"]) == (502, "s1")
            mock.clear_faults()


def test_a_given_app_is_shared_and_never_reset() -> None:
    app = create_app({"leads": 3, "clock": "2026-01-01T00:00:00"})
    for phone, expected in (("5305550107", "1"), ("5305550108", "2")):
        with intercept(app=app) as mock:
            insert(requests, phone)
            assert mock.app is app
            assert len(mock.requests(endpoint="leads/insert")) == int(expected)
    with pytest.raises(ValueError, match="give app= or settings, not both"):
        intercept(app=app, leads=5)


def test_activating_twice_is_an_error(active: Interception) -> None:
    with pytest.raises(RuntimeError, match="already active"), active:
        pass


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        (
            "responses",
            'needs responses to patch the installed HTTP client libraries; pip install "mockvoso\\[intercept\\]"',
        ),
        ("respx", "needs respx to patch"),
    ],
)
def test_a_missing_mocking_library_is_a_clear_import_error(
    monkeypatch: pytest.MonkeyPatch, missing: str, message: str
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == missing else real(name, *a)
    )
    with pytest.raises(ImportError, match=message):
        intercept(leads=1).start()


def test_no_client_library_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name in ("requests", "httpx") else real(name, *a),
    )
    with pytest.raises(ImportError, match="neither is installed"):
        intercept(leads=1).start()
