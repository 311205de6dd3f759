"""log/retrieve and users/recordings through HTTP: quirks, filters, order, paging."""

from __future__ import annotations

import pytest

from conftest import WHOLE_LOG
from mockvoso.records import CALL_LOG_FIELDS

VIAS = ["form", "json", "query"]


def all_calls(api, **params) -> list[dict]:
    rows: list[dict] = []
    while True:
        page = {"limit": 500, "offset": len(rows), **WHOLE_LOG, **params}
        data = api.ok("log/retrieve", page)["data"]
        rows += data["results"]
        if len(rows) >= int(data["total_found"]):
            return rows


@pytest.mark.parametrize("via", VIAS)
def test_log_retrieve_envelope_and_quirks(api, via):
    data = api.ok("log/retrieve", {"limit": 7}, via=via)["data"]
    assert set(data) == {"offset", "limit", "total_found", "entries", "results"}
    assert data["offset"] == 0 and data["limit"] == 7
    assert isinstance(data["total_found"], str) and int(data["total_found"]) > 7
    assert data["entries"] == 7  # a COUNT of rows, not the rows
    for row in data["results"]:
        assert list(row) == list(CALL_LOG_FIELDS)
        assert all(v is None or isinstance(v, str) for v in row.values())


def test_log_retrieve_default_and_capped_limit(api):
    assert api.ok("log/retrieve")["data"]["limit"] == 500
    assert api.ok("log/retrieve", {"limit": 10000})["data"]["limit"] == 500


def test_log_retrieve_newest_first_unless_asc(api):
    rows = all_calls(api)
    keys = [(r["call_date"], int(r["id"])) for r in rows]
    assert keys == sorted(keys, reverse=True)
    asc = all_calls(api, order="ASC")
    assert [r["id"] for r in asc] == [r["id"] for r in reversed(rows)]


@pytest.mark.parametrize(
    "field", ["lead_id", "list_id", "campaign_id", "user_id", "status", "phone_number", "call_type"]
)
def test_log_retrieve_filters(api, field):
    rows = all_calls(api)
    value = rows[0][field]
    expected = [r["id"] for r in rows if r[field] == value]
    got = all_calls(api, **{field: value.lower() if field == "call_type" else value})
    assert [r["id"] for r in got] == expected and expected


def test_log_retrieve_time_window(api):
    rows = all_calls(api)
    dates = sorted(r["call_date"] for r in rows)
    start, end = dates[10], dates[-10]
    expected = [r["id"] for r in rows if start <= r["call_date"] <= end]
    got = all_calls(api, start_time=start, end_time=end)
    assert [r["id"] for r in got] == expected
    day = dates[10][:10]
    expected = [r["id"] for r in rows if r["call_date"][:10] == day]
    got = all_calls(api, start_time=day, end_time=day)  # bare dates: the whole day
    assert [r["id"] for r in got] == expected and expected


def test_log_retrieve_include_recordings(api):
    params = {"include_recordings": 1, "limit": 500, **WHOLE_LOG}
    rows = api.ok("log/retrieve", params)["data"]["results"]
    with_recording = [r for r in rows if r["recording"]]
    assert with_recording and all("recording" in r for r in rows)
    rec = with_recording[0]["recording"][0]
    assert set(rec) == {"src", "type", "recording_id", "filename", "public_url"}
    assert rec["public_url"].endswith(rec["filename"])
    plain = api.ok("log/retrieve", {"limit": 5})["data"]["results"]
    assert all("recording" not in r for r in plain)


@pytest.mark.parametrize(
    ("params", "code", "text"),
    [
        ({"list_id": 9999}, 6002, "Unknown List Id"),
        ({"campaign_id": 9}, 6004, "Unknown Campaign ID"),
        ({"user_id": "77"}, 6006, "Unknown User Id"),
        ({"queue_id": "1"}, 6030, "Unknown Queue ID"),
        ({"offset": -1}, 7231, "Invalid offset value"),
        ({"limit": "ten"}, 7230, "Invalid limit value"),
    ],
)
def test_log_retrieve_errors(api, params, code, text):
    assert api.domain_error("log/retrieve", params, code)["text"] == text


def test_log_retrieve_bad_enum_is_400(api):
    for params in ({"order": "sideways"}, {"call_type": "PIGEON"}, {"start_time": "2026-13-01"}):
        response = api.call("log/retrieve", params)
        assert response.status_code == 400, params
        assert next(iter(params)) in response.get_json()["text"]


def test_calls_point_at_real_records(api, acme):
    users = {u["user_id"]: u for u in acme.users}
    campaigns = {c["id"]: c for c in api.ok("campaigns/search")["data"]}
    lists = {row["id"]: row for row in api.ok("lists/search")["data"]}
    for row in all_calls(api):
        lead = api.ok("leads/search", {"lead_id": row["lead_id"]})["data"]["entries"]
        assert len(lead) == 1 and lead[0]["phone_number"] == row["phone_number"]
        assert int(row["list_id"]) in lists and lists[int(row["list_id"])]["campaign_id"] == int(
            row["campaign_id"]
        )
        assert int(row["campaign_id"]) in campaigns
        assert row["user_id"] in users
        break  # one full check is enough per row kind; the seed unit tests cover all rows


def test_every_agent_has_calls_and_recordings(api, acme):
    for user in acme.users:
        assert (
            int(
                api.ok("log/retrieve", {"user_id": user["user_id"], "limit": 1, **WHOLE_LOG})[
                    "data"
                ]["total_found"]
            )
            > 0
        )
        assert api.ok("users/recordings", {"user": user["email"]})["data"]["total"] > 0


@pytest.mark.parametrize("via", VIAS)
def test_users_recordings_shape(api, acme, via):
    email = acme.users[0]["email"]
    data = api.ok("users/recordings", {"user": email, "limit": 3}, via=via)["data"]
    assert set(data) == {"offset", "limit", "total", "entries"}
    assert data["offset"] == 0 and data["limit"] == 3 and isinstance(data["total"], int)
    for entry in data["entries"]:
        assert set(entry) == {"recording_id", "lead_id", "start_time", "end_time", "seconds", "url"}
        assert isinstance(entry["recording_id"], int) and isinstance(entry["lead_id"], int)
        assert entry["seconds"] is None or isinstance(entry["seconds"], int)
        assert isinstance(entry["url"], str) and isinstance(entry["end_time"], str)


def test_users_recordings_many_users_and_paging(api, acme):
    a, b = acme.users[0]["email"], acme.users[1]["email"]
    total_a = api.ok("users/recordings", {"user": a})["data"]["total"]
    total_b = api.ok("users/recordings", {"user": b})["data"]["total"]
    data = api.ok("users/recordings", {"user": f"{a},{b.upper()}", "limit": 1000})["data"]
    assert data["total"] == total_a + total_b == len(data["entries"])
    ids = [e["recording_id"] for e in data["entries"]]
    assert ids == sorted(ids)
    assert api.ok("users/recordings", {"user": a})["data"]["limit"] == 20
    page = api.ok("users/recordings", {"user": f"{a},{b}", "offset": 2, "limit": 2})["data"][
        "entries"
    ]
    assert [e["recording_id"] for e in page] == ids[2:4]


def test_users_recordings_errors(api):
    assert api.domain_error("users/recordings", {}, 6005)["text"] == "Missing users"
    assert (
        api.domain_error("users/recordings", {"user": "nobody@nowhere.example"}, 6006)["text"]
        == "No such User"
    )
    api.domain_error("users/recordings", {"user": "*"}, 6006)  # not a wildcard in Convoso
    api.domain_error("users/recordings", {"user": "x@y.z", "offset": "-1"}, 7231)
