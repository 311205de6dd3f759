"""Office isolation, seed determinism, reset, and concurrent writes through HTTP."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from conftest import TEST_SETTINGS, WHOLE_LOG, Api, offices_of
from mockvoso.actions import SECTIONS
from mockvoso.app import create_app


def dump_office(api: Api) -> str:
    leads = api.ok("leads/search", {"limit": 2000})["data"]["entries"]
    calls = api.ok("log/retrieve", {"limit": 500, **WHOLE_LOG})["data"]["results"]
    return json.dumps([leads, calls], sort_keys=True)


def test_offices_are_isolated(api, bravo_api):
    acme_ids = {e["id"] for e in api.ok("leads/search", {"limit": 2000})["data"]["entries"]}
    bravo_ids = {e["id"] for e in bravo_api.ok("leads/search", {"limit": 2000})["data"]["entries"]}
    assert acme_ids and bravo_ids and not acme_ids & bravo_ids
    # ACME's token cannot see, change or delete BRAVO's leads and lists
    bravo_lead = next(iter(sorted(bravo_ids)))
    assert api.ok("leads/search", {"lead_id": bravo_lead})["data"]["total"] == "0"
    api.domain_error("leads/update", {"lead_id": bravo_lead, "notes": "x"}, 6001)
    api.domain_error("leads/delete", {"lead_id": bravo_lead}, 6001)
    bravo_list = bravo_api.ok("lists/search")["data"][0]["id"]
    api.domain_error("lists/delete", {"list_id": bravo_list}, 6002)
    api.domain_error("leads/insert", {"list_id": bravo_list, "phone_number": "5305550101"}, 6002)
    # a write in ACME is invisible to BRAVO
    api.ok("leads/insert", {"list_id": 2701, "phone_number": "5305550101"})
    assert bravo_api.ok("leads/search", {"phone_number": "5305550101"})["data"]["total"] == "0"


def test_same_seed_same_data_other_seed_other_data():
    first = Api(create_app(TEST_SETTINGS), "")
    second = Api(create_app(TEST_SETTINGS), "")
    other = Api(create_app({**TEST_SETTINGS, "seed": 99}), "")
    for api in (first, second, other):
        api.token = offices_of(api.app)["ACME"].full_token
    assert dump_office(first) == dump_office(second)
    assert dump_office(first) != dump_office(other)


def test_seeded_timestamps_lie_in_the_30_days_before_the_clock(api):
    # The clock 2026-01-01T00:00:00 is UTC; ACME's zone is America/Los_Angeles (UTC-8 in
    # winter), so its local window is 2025-12-01 16:00:00 .. 2025-12-31 16:00:00.
    entries = api.ok("leads/search", {"limit": 2000})["data"]["entries"]
    assert len(entries) == 300
    for entry in entries:
        assert "2025-12-01 16:00:00" <= entry["created_at"] <= "2025-12-31 16:00:00"
    window = {"limit": 500, "start_time": "2025-11-01", "end_time": "2026-02-01"}
    rows = api.ok("log/retrieve", window)["data"]["results"]
    assert len(rows) == 150
    for row in rows:
        assert "2025-12-01 16:00:00" <= row["call_date"] <= "2025-12-31 16:00:00"


def test_reset_restores_the_seed(api):
    before = dump_office(api)
    api.ok("leads/insert", {"list_id": 2701, "phone_number": "5305550101"})
    api.ok("lists/delete", {"list_id": 2702})
    assert dump_office(api) != before
    response = api.control("POST", "reset")
    assert response.status_code == 200 and response.get_json() == {"reset": True, "office": None}
    assert dump_office(api) == before


def test_reset_one_office_leaves_the_other(api, bravo_api):
    api.ok("leads/insert", {"list_id": 2701, "phone_number": "5305550101"})
    bravo_list = bravo_api.ok("lists/search")["data"][0]["id"]
    bravo_api.ok("leads/insert", {"list_id": bravo_list, "phone_number": "5305550101"})
    assert api.control("POST", "reset", json={"office": "ACME"}).status_code == 200
    assert api.ok("leads/search")["data"]["total"] == "300"
    assert bravo_api.ok("leads/search")["data"]["total"] == "301"
    response = api.control("POST", "reset", json={"office": "NOPE"})
    assert response.status_code == 404 and response.get_json()["field"] == "office"


def test_reset_accepts_an_empty_body_with_any_content_type(api):
    for content_type in ("application/json", "text/plain", "application/x-www-form-urlencoded"):
        assert api.control("POST", "reset", data=b"", content_type=content_type).status_code == 200


def test_health_and_offices(api):
    health = api.control("GET", "health").get_json()
    assert health["status"] == "ok" and health["version"]
    offices = api.control("GET", "offices").get_json()["offices"]
    assert [o["acronym"] for o in offices] == ["ACME", "BRAVO"]
    for office in offices:
        assert set(office) == {"acronym", "name", "tokens", "users"}
        assert any(t["sections"] == list(SECTIONS) for t in office["tokens"])
        assert any(len(t["sections"]) < len(SECTIONS) for t in office["tokens"])
        for user in office["users"]:
            assert set(user) == {"user_id", "email", "first_name", "last_name"}


def test_concurrent_inserts_are_all_stored_with_unique_ids(api):
    def insert(i: int) -> int:
        body = api.ok(
            "leads/insert", {"list_id": 2701, "phone_number": f"53055{i:05d}", "check_dup": 1}
        )
        return body["data"]["lead_id"]

    with ThreadPoolExecutor(max_workers=16) as pool:
        ids = list(pool.map(insert, range(400)))
    assert len(set(ids)) == 400
    assert api.ok("leads/search")["data"]["total"] == "700"
    found = {
        e["id"] for e in api.ok("leads/search", {"list_id": 2701, "limit": 2000})["data"]["entries"]
    }
    assert {str(i) for i in ids} <= found


def test_concurrent_duplicate_inserts_store_exactly_one(api):
    def insert(_: int) -> bool:
        response = api.call(
            "leads/insert", {"list_id": 2701, "phone_number": "5305559999", "check_dup": 1}
        )
        return response.get_json()["success"]

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(insert, range(64)))
    assert results.count(True) == 1
    assert api.ok("leads/search", {"phone_number": "5305559999"})["data"]["total"] == "1"
