"""Fault rules, the fault header, start-up faults, rate limits and the journal over HTTP."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import TEST_SETTINGS, Api, offices_of
from mockvoso.app import create_app
from mockvoso.handlers import MALFORMED_BODY


class FakeTime:
    """Injected clock and sleep: sleeping advances the clock, nothing really waits."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def world(fake_time):
    """A fresh app with a fake clock; returns a factory taking settings overrides."""

    def make(**overrides) -> Api:
        app = create_app(
            {**TEST_SETTINGS, "leads": 40, **overrides},
            sleep=fake_time.sleep,
            monotonic=fake_time.monotonic,
        )
        return Api(app, offices_of(app)["ACME"].full_token)

    return make


def add_fault(api: Api, **rule) -> dict:
    response = api.control("POST", "faults", json=rule)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["fault"]


def total(api: Api) -> str:
    return api.ok("leads/search")["data"]["total"]


def test_next_two_searches_fail_with_500_then_recover(world):
    api = world()
    rule = add_fault(api, endpoint="leads/search", status=500, times=2)
    assert rule["id"] == "f1" and rule["remaining"] == 2 and rule["source"] == "runtime"
    for _ in range(2):
        response = api.call("leads/search")
        assert response.status_code == 500
        assert response.get_json() == {
            "success": False,
            "code": 500,
            "text": "Failed to process the request",
        }
        assert response.headers["X-Mockvoso-Fault"] == "f1"
    response = api.call("leads/search")
    assert response.status_code == 200 and "X-Mockvoso-Fault" not in response.headers
    assert api.control("GET", "faults").get_json() == {"faults": []}  # expired


@pytest.mark.parametrize("status", [401, 403, 429, 502, 503])
def test_any_status_with_the_envelope(world, status):
    api = world()
    add_fault(api, endpoint="campaigns/search", status=status)
    response = api.call("campaigns/search")
    assert response.status_code == status
    assert response.get_json()["code"] == status and response.get_json()["success"] is False
    assert api.call("lists/search").status_code == 200  # other endpoints untouched


def test_domain_error_rule_writes_nothing(world):
    api = world()
    add_fault(api, endpoint="leads/insert", error_code=6009)
    response = api.call("leads/insert", {"list_id": 2701, "phone_number": "5305550101"})
    assert response.status_code == 200 and response.headers["X-Mockvoso-Fault"] == "f1"
    assert response.get_json() == {
        "success": False,
        "code": 6009,
        "text": "The phone number already exists",
    }
    assert total(api) == "40"


def test_latency_adds_up_and_applies_before_the_effect(world, fake_time):
    api = world()
    add_fault(api, endpoint="leads/search", latency_ms=300)
    add_fault(api, endpoint="*", latency_ms=50, status=503)
    response = api.call("leads/search")
    assert response.status_code == 503 and response.headers["X-Mockvoso-Fault"] == "f2"
    assert fake_time.slept == [0.35]
    api.call("lists/search")
    assert fake_time.slept == [0.35, 0.05]


def test_jitter_is_reproducible_for_a_seed(world, fake_time):
    def draws(seed: int) -> list[float]:
        fake_time.slept.clear()
        api = world(seed=seed)
        add_fault(api, latency_ms=100, jitter_ms=40)
        for _ in range(20):
            api.call("campaigns/search")
        return list(fake_time.slept)

    first, again, other = draws(7), draws(7), draws(8)
    assert first == again and first != other
    assert all(0.06 <= s <= 0.14 for s in first)


def test_probability_is_reproducible_and_reset_restarts_draws(world):
    api = world(seed=5)
    add_fault(api, endpoint="campaigns/search", probability=0.5, status=500)

    def outcomes(api: Api) -> list[int]:
        return [api.call("campaigns/search").status_code for _ in range(30)]

    first = outcomes(api)
    assert set(first) == {200, 500}
    fresh = world(seed=5)
    add_fault(fresh, endpoint="campaigns/search", probability=0.5, status=500)
    assert outcomes(fresh) == first
    assert api.control("POST", "reset").status_code == 200
    add_fault(api, endpoint="campaigns/search", probability=0.5, status=500)
    assert outcomes(api) == first  # a reset server behaves exactly like a fresh one


def test_method_and_office_matching(world):
    api = world()
    bravo = Api(api.app, offices_of(api.app)["BRAVO"].full_token)
    add_fault(api, endpoint="campaigns/search", method="GET", office="BRAVO", status=502)
    assert api.call("campaigns/search", via="query").status_code == 200  # ACME
    assert bravo.call("campaigns/search").status_code == 200  # POST
    assert bravo.call("campaigns/search", via="query").status_code == 502


def test_empty_and_malformed_bodies(world):
    api = world()
    add_fault(api, endpoint="lists/search", fault="empty")
    add_fault(api, endpoint="leads/search", fault="malformed")
    empty = api.call("lists/search")
    assert (
        empty.status_code == 200 and empty.data == b"" and empty.headers["X-Mockvoso-Fault"] == "f1"
    )
    bad = api.call("leads/search")
    assert bad.status_code == 200 and bad.data == MALFORMED_BODY
    with pytest.raises(json.JSONDecodeError):
        json.loads(bad.data)


@pytest.mark.parametrize(
    ("header", "status", "code"),
    [("status=503", 503, 503), ("error=6002", 200, 6002), ("latency=300,status=429", 429, 429)],
)
def test_fault_header(world, fake_time, header, status, code):
    api = world()
    response = api.call("leads/search", headers={"X-Mockvoso-Fault": header})
    assert response.status_code == status and response.get_json()["code"] == code
    assert response.headers["X-Mockvoso-Fault"] == "header"
    assert response.headers.get("Retry-After") == ("1" if status == 429 else None)
    assert fake_time.slept == ([0.3] if "latency" in header else [])


def test_fault_header_latency_only_still_answers(world, fake_time):
    api = world()
    response = api.call("campaigns/search", headers={"X-Mockvoso-Fault": "latency=120"})
    assert response.status_code == 200 and fake_time.slept == [0.12]


def test_bad_fault_header_is_a_precise_400(world):
    api = world()
    response = api.call("leads/search", headers={"X-Mockvoso-Fault": "status=700"})
    assert response.status_code == 400
    assert response.get_json()["text"].startswith("X-Mockvoso-Fault: status:")


def test_fault_headers_can_be_turned_off(world):
    api = world(fault_headers=False)
    assert api.call("leads/search", headers={"X-Mockvoso-Fault": "status=503"}).status_code == 200


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({"probability": 1.5, "status": 500}, "probability"),
        ({"status": 200}, "status"),
        ({"error_code": 1234}, "error_code"),
        ({"fault": "explode"}, "fault"),
        ({"endpoint": "leads/fly", "status": 500}, "endpoint"),
        ({"times": 0, "status": 500}, "times"),
        ({"status": 500, "colour": "red"}, "colour"),
        ({}, "rule"),
    ],
)
def test_invalid_rules_are_400_naming_the_field(world, rule, field):
    api = world()
    response = api.control("POST", "faults", json=rule)
    assert response.status_code == 400
    body = response.get_json()
    assert body["field"] == field and body["error"].startswith(f"{field}:")
    assert api.control("GET", "faults").get_json() == {"faults": []}


def test_rule_body_needs_json_object(world):
    api = world()
    assert api.control("POST", "faults", data=b"").status_code == 400
    assert api.control("POST", "faults", data=b"[1]").status_code == 400
    assert api.control("POST", "faults", data=b"{oops").status_code == 400


def test_delete_rules(world):
    api = world()
    first = add_fault(api, status=500, endpoint="leads/search")
    add_fault(api, status=502, endpoint="lists/search")
    assert api.control("DELETE", f"faults/{first['id']}").status_code == 200
    assert api.control("DELETE", f"faults/{first['id']}").status_code == 404
    assert [r["id"] for r in api.control("GET", "faults").get_json()["faults"]] == ["f2"]
    assert api.control("DELETE", "faults").get_json() == {"faults": []}
    assert api.call("lists/search").status_code == 200


def test_startup_faults_are_listed_and_survive_reset(world, tmp_path):
    faults = tmp_path / "faults.yaml"
    faults.write_text("- {endpoint: lists/search, status: 503}\n")
    api = world(latency=20, jitter=0, error_rate=0.0, faults=str(faults))
    rules = api.control("GET", "faults").get_json()["faults"]
    assert [(r["id"], r["source"]) for r in rules] == [("s1", "startup"), ("s2", "startup")]
    assert rules[0]["latency_ms"] == 20 and rules[1]["status"] == 503
    add_fault(api, status=500, endpoint="leads/search")
    api.control("POST", "reset")
    assert [r["id"] for r in api.control("GET", "faults").get_json()["faults"]] == ["s1", "s2"]
    assert api.call("lists/search").status_code == 503


def test_error_rate_at_start(world):
    api = world(error_rate=1.0)
    response = api.call("campaigns/search")
    assert response.status_code == 500 and response.headers["X-Mockvoso-Fault"] == "s1"


def test_control_plane_is_never_faulted(world):
    api = world(error_rate=1.0)
    assert api.control("GET", "health").status_code == 200
    assert api.control("GET", "offices").status_code == 200


def test_times_counts_exactly_under_threads(world):
    api = world()
    add_fault(api, endpoint="campaigns/search", status=500, times=25)
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(lambda _: api.call("campaigns/search").status_code, range(100)))
    assert statuses.count(500) == 25 and statuses.count(200) == 75


# --- rate limiting -------------------------------------------------------------------


def test_rate_limit_three_per_minute(world, fake_time):
    api = world()
    response = api.control("PUT", "rate-limit", json={"requests": 3, "per_seconds": 60})
    assert response.get_json() == {
        "rate_limit": {"requests": 3, "per_seconds": 60.0, "scope": "token"}
    }
    remaining = []
    for _ in range(3):
        response = api.call("campaigns/search")
        assert response.status_code == 200
        assert response.headers["X-RateLimit-Limit"] == "3"
        remaining.append(response.headers["X-RateLimit-Remaining"])
    assert remaining == ["2", "1", "0"]
    refused = api.call("campaigns/search")
    assert refused.status_code == 429
    assert refused.get_json() == {"success": False, "code": 429, "text": "Too Many Requests"}
    assert (
        refused.headers["Retry-After"] == "20"
        and refused.headers["X-Mockvoso-Fault"] == "rate-limit"
    )
    assert int(refused.headers["X-RateLimit-Reset"]) == 60
    fake_time.now += 20
    assert api.call("campaigns/search").status_code == 200


def test_rate_limit_scopes(world, acme):
    api = world()
    other_token = Api(api.app, offices_of(api.app)["ACME"].limited_token)
    api.control("PUT", "rate-limit", json={"requests": 1, "per_seconds": 60, "scope": "token"})
    assert api.call("leads/search").status_code == 200
    assert other_token.call("leads/search").status_code == 200  # its own bucket
    assert api.call("leads/search").status_code == 429
    api.control("PUT", "rate-limit", json={"requests": 1, "per_seconds": 60, "scope": "office"})
    assert api.call("leads/search").status_code == 200
    assert other_token.call("leads/search").status_code == 429  # same office, same bucket


def test_rate_limit_get_delete_and_validation(world):
    api = world()
    assert api.control("GET", "rate-limit").get_json() == {"rate_limit": None}
    bad = api.control("PUT", "rate-limit", json={"requests": 0, "per_seconds": 1})
    assert bad.status_code == 400 and bad.get_json()["field"] == "requests"
    bad = api.control(
        "PUT", "rate-limit", json={"requests": 1, "per_seconds": 1, "scope": "planet"}
    )
    assert bad.status_code == 400 and bad.get_json()["field"] == "scope"
    api.control("PUT", "rate-limit", json={"requests": 1, "per_seconds": 60})
    assert api.control("DELETE", "rate-limit").get_json() == {"rate_limit": None}
    response = api.call("leads/search")
    assert "X-RateLimit-Limit" not in response.headers


def test_rate_limit_at_start_survives_reset(world):
    api = world(rate_limit="1/60")
    assert api.call("leads/search").status_code == 200
    assert api.call("leads/search").status_code == 429
    api.control("DELETE", "rate-limit")
    api.control("POST", "reset")
    assert api.control("GET", "rate-limit").get_json()["rate_limit"]["requests"] == 1


# --- journal -------------------------------------------------------------------------


def test_journal_records_what_the_client_sent(world):
    api = world()
    add_fault(api, endpoint="leads/search", status=500, times=1)
    api.call("leads/search", {"first_name": "Ada"}, via="query")
    api.call("leads/insert", {"list_id": 2701, "phone_number": "5305550101"})
    api.http.get("/v1/nope")
    body = api.control("GET", "requests").get_json()
    assert body["dropped"] == 0
    first, second, third = body["requests"]
    assert set(first) == {
        "id",
        "time",
        "method",
        "path",
        "endpoint",
        "office",
        "params",
        "status",
        "fault",
        "duration_ms",
        "response",
    }
    assert (first["method"], first["path"], first["endpoint"], first["office"]) == (
        "GET",
        "/v1/leads/search",
        "leads/search",
        "ACME",
    )
    assert first["params"] == {"first_name": "Ada", "auth_token": api.token[:4] + "****"}
    assert (first["status"], first["fault"]) == (500, "f1")
    body_500 = '{"success":false,"code":500,"text":"Failed to process the request"}\n'
    assert first["response"] == {"bytes": len(body_500), "body": body_500, "truncated": False}
    assert (second["endpoint"], second["status"], second["fault"]) == ("leads/insert", 200, None)
    assert (third["status"], third["office"]) == (404, None)
    assert [e["id"] for e in body["requests"]] == [1, 2, 3]
    filtered = api.control("GET", "requests", query_string={"endpoint": "leads/insert"}).get_json()[
        "requests"
    ]
    assert [e["id"] for e in filtered] == [2]
    assert [
        e["id"]
        for e in api.control("GET", "requests", query_string={"status": 500}).get_json()["requests"]
    ] == [1]
    assert [
        e["id"]
        for e in api.control("GET", "requests", query_string={"limit": 2}).get_json()["requests"]
    ] == [2, 3]
    assert api.control("GET", "requests", query_string={"limit": "x"}).status_code == 400
    assert api.control("DELETE", "requests").status_code == 200
    assert api.control("GET", "requests").get_json() == {"requests": [], "dropped": 0}


def test_journal_is_bounded(world):
    api = world(journal_size=5)
    for _ in range(8):
        api.call("campaigns/search")
    body = api.control("GET", "requests").get_json()
    assert body["dropped"] == 3 and [e["id"] for e in body["requests"]] == [4, 5, 6, 7, 8]


# --- snapshot and reset ----------------------------------------------------------------


def test_snapshot_round_trip_restores_exactly(world):
    api = world()
    api.ok("leads/insert", {"list_id": 2701, "phone_number": "5305550101", "plan_sold": "Gold"})
    api.ok("lists/insert", {"name": "Snapshot Test List", "campaign_id": 501})
    snap = api.control("GET", "snapshot").get_json()
    assert snap["format"] == "mockvoso-snapshot" and set(snap["offices"]) == {"ACME", "BRAVO"}
    api.ok(
        "leads/delete",
        {
            "lead_id": api.ok("leads/search", {"phone_number": "5305550101"})["data"]["entries"][0][
                "id"
            ]
        },
    )
    api.control("POST", "reset")
    restored = api.control("POST", "snapshot", json=snap)
    assert restored.status_code == 200 and restored.get_json() == {"restored": ["ACME", "BRAVO"]}
    assert api.control("GET", "snapshot").get_json() == snap
    entry = api.ok("leads/search", {"phone_number": "5305550101"})["data"]["entries"][0]
    assert entry["plan_sold"] == "Gold"  # indexes and custom fields came back
    # counters too: the next ids continue after the snapshot's
    new_id = api.ok("leads/insert", {"list_id": 2701, "phone_number": "5305550102"})["data"][
        "lead_id"
    ]
    assert new_id == int(entry["id"]) + 1


def test_snapshot_restore_rejects_bad_documents_and_changes_nothing(world):
    api = world()
    snap = api.control("GET", "snapshot").get_json()
    api.ok("leads/insert", {"list_id": 2701, "phone_number": "5305550101"})
    broken = json.loads(json.dumps(snap))
    broken["offices"]["BRAVO"]["leads"]["rows"][0] = ["too", "short"]
    for doc in ({"format": "x"}, {**snap, "offices": {"NOPE": {}}}, broken):
        response = api.control("POST", "snapshot", json=doc)
        assert response.status_code == 400, doc
        assert response.get_json()["error"]
    assert total(api) == "41"


def test_snapshot_is_not_limited_by_the_v1_body_size(world):
    api = world(max_body_bytes=1024, leads=200)
    snap = api.control("GET", "snapshot")
    assert len(snap.data) > 1024
    assert (
        api.control("POST", "snapshot", data=snap.data, content_type="application/json").status_code
        == 200
    )


def test_reset_clears_rules_limit_and_journal(world):
    api = world()
    add_fault(api, status=500, endpoint="leads/search")
    api.control("PUT", "rate-limit", json={"requests": 5, "per_seconds": 1})
    api.call("leads/search")
    api.control("POST", "reset")
    assert api.control("GET", "faults").get_json() == {"faults": []}
    assert api.control("GET", "rate-limit").get_json() == {"rate_limit": None}
    assert api.control("GET", "requests").get_json() == {"requests": [], "dropped": 0}


# --- admin token -----------------------------------------------------------------------


def test_admin_token_guards_the_control_plane():
    api = Api(create_app({**TEST_SETTINGS, "leads": 0, "admin_token": "s3cret"}), "")
    assert api.control("GET", "health").status_code == 200
    for method, path in (
        ("GET", "offices"),
        ("GET", "faults"),
        ("POST", "reset"),
        ("GET", "requests"),
    ):
        response = api.control(method, path)
        assert response.status_code == 401, path
        assert "X-Mockvoso-Admin-Token" in response.get_json()["error"]
    ok = api.control("GET", "faults", headers={"X-Mockvoso-Admin-Token": "s3cret"})
    assert ok.status_code == 200
    assert (
        api.control("GET", "faults", headers={"X-Mockvoso-Admin-Token": "wrong"}).status_code == 401
    )
