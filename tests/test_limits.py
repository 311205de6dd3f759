"""Limits (issue 13 item 6): leads per office, fault rules, webhook receivers and queued
deliveries, query-string length; each refused with a precise error and nothing written."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from typing import Any

import pytest

from conftest import Api
from mockvoso.faults.engine import MAX_FAULT_RULES
from mockvoso.limits import DEFAULT_MAX_LEADS, MAX_QUERY_BYTES
from mockvoso.serving.cli import main
from mockvoso.serving.server import ThreadedServer
from mockvoso.webhooks import delivery
from mockvoso.webhooks.delivery import MAX_RECEIVERS, Dispatcher

ACME_LIST = 2701


def _total(api: Api, **filters: Any) -> int:
    return int(api.ok("leads/search", {"limit": 1, **filters})["data"]["total"])


# --------------------------------------------------------------------------- leads


def test_max_leads_default_is_generous():
    assert DEFAULT_MAX_LEADS == 2_000_000


def test_insert_past_max_leads_answers_507_and_writes_nothing(make_api):
    probe = make_api()
    seeded = _total(probe)
    api = make_api(max_leads=seeded + 1)
    first = api.ok("leads/insert", {"list_id": ACME_LIST, "phone_number": "5305557001"})
    response = api.call("leads/insert", {"list_id": ACME_LIST, "phone_number": "5305557002"})
    assert response.status_code == 507
    assert response.get_json() == {
        "success": False,
        "code": 507,
        "text": f"Insufficient Storage: office ACME holds {seeded + 1} leads, the --max-leads "
        "limit; delete leads or reset the office",
    }
    assert _total(api) == seeded + 1
    assert _total(api, phone_number="5305557002") == 0
    # A delete makes room again; the next lead gets the next id.
    api.ok("leads/delete", {"lead_id": first["data"]["lead_id"]})
    again = api.ok("leads/insert", {"list_id": ACME_LIST, "phone_number": "5305557002"})
    assert int(again["data"]["lead_id"]) == int(first["data"]["lead_id"]) + 1


def test_update_if_found_at_the_limit_still_updates(make_api):
    api = make_api(max_leads=_total(make_api()))
    phone = api.ok("leads/search", {"limit": 1})["data"]["entries"][0]["phone_number"]
    body = api.ok(
        "leads/insert",
        {"list_id": ACME_LIST, "phone_number": phone, "update_if_found": "true", "city": "Kyiv"},
    )
    assert _total(api, lead_id=body["data"]["lead_id"], city="Kyiv") == 1


def test_max_leads_is_per_office(make_api):
    api = make_api(max_leads=301)  # both seeded offices hold 300 leads
    bravo = Api(api.app, _bravo_token(api))
    assert (_total(api), _total(bravo)) == (300, 300)
    api.ok("leads/insert", {"list_id": ACME_LIST, "phone_number": "5305557003"})
    refused = api.call("leads/insert", {"list_id": ACME_LIST, "phone_number": "5305557004"})
    assert refused.status_code == 507
    # ACME at its limit does not stop BRAVO.
    bravo.ok("leads/insert", {"list_id": 3801, "phone_number": "5305557004"})
    assert (_total(api), _total(bravo)) == (301, 301)


def _bravo_token(api: Api) -> str:
    offices = api.control("GET", "offices").get_json()["offices"]
    bravo = next(o for o in offices if o["acronym"] == "BRAVO")
    return next(
        t["token"] for t in bravo["tokens"] if "leads" in t["sections"] and "lists" in t["sections"]
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--leads", "10", "--max-leads", "5"], "leads: 10 per office is over max_leads (5)"),
        (["--max-leads", "-1"], "max_leads: must be >= 0"),
    ],
)
def test_serve_refuses_seeding_past_max_leads(args, message, capsys, monkeypatch):
    monkeypatch.delenv("MOCKVOSO_CONFIG", raising=False)
    assert main(["serve", *args]) == 2
    assert capsys.readouterr().err == f"mockvoso: {message}\n"


# --------------------------------------------------------------------------- fault rules


def test_fault_rules_are_capped_with_a_400_naming_the_limit(make_api):
    api = make_api()
    rule = {"endpoint": "campaigns/status", "status": 503}
    for n in range(MAX_FAULT_RULES):
        response = api.control("POST", "faults", json=rule)
        assert response.status_code == 201, (n, response.get_json())
    refused = api.control("POST", "faults", json=rule)
    assert refused.status_code == 400
    assert refused.get_json() == {
        "error": f"faults: at most {MAX_FAULT_RULES} fault rules at once; delete one first",
        "field": "faults",
    }
    assert len(api.control("GET", "faults").get_json()["faults"]) == MAX_FAULT_RULES
    assert api.control("DELETE", "faults/f1").status_code == 200
    added = api.control("POST", "faults", json=rule)
    assert added.status_code == 201
    assert added.get_json()["fault"]["id"] == f"f{MAX_FAULT_RULES + 1}"


def test_serve_refuses_a_faults_file_over_the_cap(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("MOCKVOSO_CONFIG", raising=False)
    rules = tmp_path / "rules.yaml"
    rules.write_text("- {endpoint: leads/search, status: 503}\n" * MAX_FAULT_RULES)
    # --error-rate adds a startup rule of its own: 101 in all.
    assert main(["serve", "--faults", str(rules), "--error-rate", "0.1"]) == 2
    assert capsys.readouterr().err == (
        f"mockvoso: faults: at most {MAX_FAULT_RULES} fault rules, got {MAX_FAULT_RULES + 1}\n"
    )


# --------------------------------------------------------------------------- webhooks


def test_webhook_receivers_are_capped_at_100(make_api):
    api = make_api()
    hook = {"url": "http://127.0.0.1:9/hook", "events": ["lead.inserted"]}
    try:
        for n in range(MAX_RECEIVERS):
            response = api.control("POST", "webhooks", json=hook)
            assert response.status_code == 201, (n, response.get_json())
        refused = api.control("POST", "webhooks", json=hook)
        assert refused.status_code == 400
        assert refused.get_json() == {
            "error": f"url: at most {MAX_RECEIVERS} receivers; delete one first",
            "field": "url",
        }
        assert len(api.control("GET", "webhooks").get_json()["webhooks"]) == MAX_RECEIVERS
    finally:
        api.control("DELETE", "webhooks")  # stops the receivers' worker threads
    assert MAX_RECEIVERS == 100


def test_queued_deliveries_are_capped_and_the_rest_dropped(monkeypatch):
    monkeypatch.setattr(delivery, "MAX_PENDING", 3)
    release = threading.Event()
    sending = threading.Event()

    def blocked_send(url: str, body: bytes, headers: dict[str, str], timeout: float):
        sending.set()
        assert release.wait(10), "the test never released the receiver"
        return 200, None

    dispatcher = Dispatcher(now=lambda: "2026-01-01 00:00:00", send=blocked_send)
    dispatcher.register({"url": "http://h/hook", "events": ["callback.due"]}, ["ACME"])
    try:
        for n in range(5):
            dispatcher.emit("ACME", "callback.due", {"n": n})
        assert sending.wait(10)
        statuses = [(d["id"], d["status"], d["error"]) for d in dispatcher.deliveries()]
        # The first is being sent (still pending), two wait in the queue: three pending.
        assert statuses[3:] == [
            ("d4", "dropped", "queue full (3 deliveries pending)"),
            ("d5", "dropped", "queue full (3 deliveries pending)"),
        ]
        assert [s[1] for s in statuses[:3]] == ["pending", "pending", "pending"]
    finally:
        release.set()
    assert dispatcher.flush(10) == 0
    assert [d["status"] for d in dispatcher.deliveries()] == [
        "delivered",
        "delivered",
        "delivered",
        "dropped",
        "dropped",
    ]
    dispatcher.clear()


# --------------------------------------------------------------------------- query strings


def _long_query(size: int, token: str) -> str:
    """A query string of exactly `size` bytes carrying the token."""
    head = f"auth_token={token}&limit=1&pad="
    return head + "x" * (size - len(head))


def test_query_at_the_limit_is_served(api: Api):
    query = _long_query(MAX_QUERY_BYTES, api.token)
    response = api.http.get(f"/v1/leads/search?{query}")
    assert response.status_code == 200
    assert response.get_json()["success"] is True


def test_query_over_the_limit_answers_414_with_the_envelope(api: Api):
    size = MAX_QUERY_BYTES + 1
    response = api.http.get(f"/v1/leads/search?{_long_query(size, api.token)}")
    assert response.status_code == 414
    assert response.get_json() == {
        "success": False,
        "code": 414,
        "text": f"Query string too long ({size} bytes; limit {MAX_QUERY_BYTES} bytes); "
        "send the parameters in a POST body",
    }


def test_control_routes_are_left_to_the_server_limit(api: Api):
    """The control plane has no 414 of its own (documented): a long query is ignored."""
    response = api.http.get(f"/_mockvoso/requests?pad={'x' * (MAX_QUERY_BYTES + 100)}")
    assert response.status_code == 200
    assert response.get_json() == {"requests": [], "dropped": 0}


def test_long_query_over_a_real_socket_gets_json(app, api: Api):
    """waitress (and granian below its own 64 KiB request-line limit) hand the request
    to mockvoso, which answers the envelope, not an empty 414."""
    size = MAX_QUERY_BYTES * 2
    with ThreadedServer(app, threads=2) as server:
        url = f"{server.url}/v1/leads/search?{_long_query(size, api.token)}"
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(url, timeout=10)
        error = caught.value
        assert error.code == 414
        assert error.headers["Content-Type"] == "application/json"
        assert error.read() == (
            b'{"success":false,"code":414,"text":"Query string too long (65536 bytes; limit '
            b'32768 bytes); send the parameters in a POST body"}\n'
        )
