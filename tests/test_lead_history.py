"""leads/search's deleted_at / archived_at / changed_at filters through HTTP."""

from __future__ import annotations

import pytest

from conftest import Api, offices_of


@pytest.fixture
def hist(clocked, clock) -> Api:
    app, _ = clocked
    return Api(app, offices_of(app)["ACME"].full_token)


def leads(api: Api, **params) -> dict:
    return api.ok("leads/search", params)["data"]


def ids(api: Api, **params) -> list[str]:
    return [e["id"] for e in leads(api, limit=2000, **params)["entries"]]


@pytest.mark.parametrize("via", ["form", "json", "query"])
def test_deleted_lead_leaves_normal_search_and_deleted_filter_finds_it(hist, clock, via):
    every = leads(hist, limit=3)["entries"]
    first, second = every[0], every[1]
    hist.ok("leads/insert", {"list_id": 2701, "phone_number": "5305550101", "plan": "Gold"})
    [custom] = leads(hist, phone_number="5305550101")["entries"]
    clock.now += 3600  # 17:00 local
    hist.ok("leads/delete", {"lead_id": first["id"]})
    clock.now += 3600  # 18:00 local
    hist.ok("leads/delete", {"lead_id": second["id"]})
    hist.ok("leads/delete", {"lead_id": custom["id"]})

    assert leads(hist, lead_id=first["id"])["total"] == "0"
    assert leads(hist)["total"] == "298"
    body = hist.ok("leads/search", {"deleted_at_start": "2025-12-31"}, via=via)["data"]
    assert body == {
        "offset": 0,
        "limit": 10,
        "total": "3",
        "entries": [first, second, custom],  # exactly as they were, custom fields too
    }
    # deleted_at is the office's local time (ACME: America/Los_Angeles, anchor 16:00).
    window = {"deleted_at_start": "2025-12-31 16:30:00", "deleted_at_end": "2025-12-31 17:30:00"}
    assert ids(hist, **window) == [first["id"]]
    assert ids(hist, deleted_at_end="2025-12-31 16:59:59") == []
    assert ids(hist, deleted_at_start="2026-01-01") == []
    # Other filters apply to the deleted leads too.
    assert ids(hist, deleted_at_start="2025-12-31", lead_id=second["id"]) == [second["id"]]
    assert ids(hist, deleted_at_start="2025-12-31", phone_number=second["phone_number"]) == [
        second["id"]
    ]
    assert ids(hist, deleted_at_start="2025-12-31", plan="gold") == [custom["id"]]
    assert ids(hist, deleted_at_start="2025-12-31", first_name="nobody-at-all") == []
    page = leads(hist, deleted_at_start="2025-12-31", offset=1, limit=1)
    assert page["total"] == "3" and [e["id"] for e in page["entries"]] == [second["id"]]


def test_deleting_a_list_keeps_its_leads_as_deleted(hist):
    in_list = ids(hist, list_id=2706)
    assert in_list
    hist.ok("lists/delete", {"list_id": 2706})
    assert ids(hist, list_id=2706) == []
    assert ids(hist, deleted_at_start="2025-12-31", list_id=2706) == in_list
    [entry] = leads(hist, deleted_at_start="2025-12-31", lead_id=in_list[0])["entries"]
    assert entry["directory_name"] is None  # its list is gone too


def test_archived_filters_find_no_lead_in_mockvoso(hist):
    hist.ok("leads/delete", {"lead_id": ids(hist)[0]})
    assert leads(hist, archived_at_start="2000-01-01")["total"] == "0"
    assert leads(hist, archived_at_end="2100-01-01")["total"] == "0"
    # A lead is deleted or archived, not both: both kinds of filter find nothing.
    assert leads(hist, archived_at_start="2000-01-01", deleted_at_start="2000-01-01") == {
        "offset": 0,
        "limit": 10,
        "total": "0",
        "entries": [],
    }


def test_changed_at_filters_bound_the_modification_time(hist):
    every = leads(hist, limit=2000)["entries"]
    cut = sorted(e["modified_at"] for e in every)[150]
    expected = [e["id"] for e in every if e["modified_at"] >= cut]
    assert ids(hist, changed_at_start_date=cut) == expected
    assert ids(hist, changed_at_start_date=cut) == ids(hist, updated_at_start_date=cut)
    day = cut[:10]
    assert ids(hist, changed_at_end_date=day) == [
        e["id"] for e in every if e["modified_at"][:10] <= day
    ]


def test_bad_dates_are_precise_400s(hist):
    response = hist.call("leads/search", {"deleted_at_start": "yesterday"})
    assert response.status_code == 400
    assert response.get_json()["text"] == (
        "Invalid parameter deleted_at_start: Not a valid date: use YYYY-MM-DD HH:MM:SS or "
        "YYYY-MM-DD."
    )


def test_deleted_leads_are_per_office_and_in_snapshots(hist, clocked):
    app, _ = clocked
    bravo = Api(app, offices_of(app)["BRAVO"].full_token)
    lead_id = ids(hist)[0]
    hist.ok("leads/delete", {"lead_id": lead_id})
    assert ids(bravo, deleted_at_start="2025-12-31") == []
    snap = hist.control("GET", "snapshot").get_json()
    [gone] = snap["offices"]["ACME"]["deleted_leads"]
    assert gone["lead"][0] == lead_id and gone["deleted_at"] == "2025-12-31 16:00:00"
    assert gone["custom"] == {}
    hist.control("POST", "reset")
    assert ids(hist, deleted_at_start="2025-12-31") == []
    assert lead_id in ids(hist)
    assert hist.control("POST", "snapshot", json=snap).status_code == 200
    assert ids(hist, deleted_at_start="2025-12-31") == [lead_id]
    assert lead_id not in ids(hist)
