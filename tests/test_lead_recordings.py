"""leads/get-recordings through HTTP: by lead, lead_id=0 for every lead, window and paging."""

from __future__ import annotations

import pytest

VIAS = ["form", "json", "query"]
ENTRY_KEYS = ["recording_id", "lead_id", "start_time", "end_time", "seconds", "url"]


def all_recordings(api) -> list[dict]:
    """Every ACME recording, from the snapshot (the store's own records)."""
    recs = api.control("GET", "snapshot").get_json()["offices"]["ACME"]["recordings"]
    return [{k: r[k] for k in ENTRY_KEYS} for r in recs]


def busiest_lead(api) -> int:
    counts: dict[int, int] = {}
    for rec in all_recordings(api):
        counts[rec["lead_id"]] = counts.get(rec["lead_id"], 0) + 1
    return max(counts, key=lambda lead: (counts[lead], -lead))


@pytest.mark.parametrize("via", VIAS)
def test_recordings_of_one_lead(api, via):
    lead_id = busiest_lead(api)
    expected = [r for r in all_recordings(api) if r["lead_id"] == lead_id]
    assert len(expected) >= 2
    body = api.ok("leads/get-recordings", {"lead_id": lead_id}, via=via)
    assert list(body) == ["success", "data"]
    assert body["data"] == {"offset": 0, "limit": 10, "total": len(expected), "entries": expected}
    for entry in body["data"]["entries"]:
        assert list(entry) == ENTRY_KEYS
        assert type(entry["recording_id"]) is int and type(entry["lead_id"]) is int
        assert entry["seconds"] is None or type(entry["seconds"]) is int
        assert entry["url"].endswith("-all.wav") and not entry["url"].startswith("http")


def test_lead_zero_answers_every_lead(api):
    every = all_recordings(api)
    assert len({r["lead_id"] for r in every}) > 1 and len(every) > 10
    data = api.ok("leads/get-recordings", {"lead_id": 0}, via="query")["data"]
    assert data == {"offset": 0, "limit": 10, "total": len(every), "entries": every[:10]}
    page = api.ok("leads/get-recordings", {"lead_id": 0, "offset": 10, "limit": 100})["data"]
    assert page["entries"] == every[10:110] and page["limit"] == 100
    capped = api.ok("leads/get-recordings", {"lead_id": 0, "limit": 500})["data"]
    assert capped["limit"] == 100 and capped["entries"] == every[:100]


def test_time_window(api):
    every = all_recordings(api)
    start, end = every[5]["start_time"], every[40]["start_time"]
    if start > end:
        start, end = end, start
    expected = [r for r in every if start <= r["start_time"] <= end]
    data = api.ok(
        "leads/get-recordings", {"lead_id": 0, "start_time": start, "end_time": end, "limit": 100}
    )["data"]
    assert data["total"] == len(expected) and data["entries"] == expected[:100]
    day = every[0]["start_time"][:10]
    by_day = api.ok(
        "leads/get-recordings", {"lead_id": 0, "start_time": day, "end_time": day, "limit": 100}
    )["data"]
    assert by_day["entries"] == [r for r in every if r["start_time"][:10] == day][:100]


def test_unknown_lead_answers_an_empty_page(api):
    assert api.ok("leads/get-recordings", {"lead_id": 1})["data"] == {
        "offset": 0,
        "limit": 10,
        "total": 0,
        "entries": [],
    }


@pytest.mark.parametrize(
    ("params", "code", "text"),
    [
        ({}, 6005, "Missing users"),
        ({"lead_id": ""}, 6005, "Missing users"),
        ({"lead_id": 0, "limit": 0}, 7230, "Invalid limit value"),
        ({"lead_id": 0, "offset": -3}, 7231, "Invalid offset value"),
    ],
)
def test_errors(api, params, code, text):
    assert api.domain_error("leads/get-recordings", params, code)["text"] == text


def test_offices_are_isolated(api, bravo_api):
    lead_id = busiest_lead(api)
    assert bravo_api.ok("leads/get-recordings", {"lead_id": lead_id})["data"]["total"] == 0
    bravo_every = bravo_api.ok("leads/get-recordings", {"lead_id": 0, "limit": 100})["data"]
    acme_leads = {r["lead_id"] for r in all_recordings(api)}
    assert bravo_every["total"] > 0
    assert not acme_leads & {r["lead_id"] for r in bravo_every["entries"]}


def test_deleting_the_lead_drops_its_recordings_from_the_index(api):
    lead_id = busiest_lead(api)
    total = api.ok("leads/get-recordings", {"lead_id": 0})["data"]["total"]
    mine = api.ok("leads/get-recordings", {"lead_id": lead_id})["data"]["total"]
    api.ok("leads/delete", {"lead_id": lead_id})
    assert api.ok("leads/get-recordings", {"lead_id": lead_id})["data"]["total"] == 0
    assert api.ok("leads/get-recordings", {"lead_id": 0})["data"]["total"] == total - mine
    api.control("POST", "reset")
    assert api.ok("leads/get-recordings", {"lead_id": lead_id})["data"]["total"] == mine


def test_limited_token_without_leads_is_forbidden(app, offices):
    from conftest import Api

    bravo = offices["BRAVO"]
    camp = next(
        t["token"]
        for t in app.test_client().get("/_mockvoso/offices").get_json()["offices"][1]["tokens"]
        if t["sections"] == ["lists", "campaigns"]
    )
    response = Api(app, bravo.full_token).call("leads/get-recordings", {"lead_id": 0}, token=camp)
    assert response.status_code == 403 and response.get_json()["text"] == "Forbidden"
