"""lists/* and campaigns/* through HTTP: shapes, types, rules and cascades."""

from __future__ import annotations

import pytest

VIAS = ["form", "json", "query"]


def list_ids(api, **params) -> list[int]:
    return [row["id"] for row in api.ok("lists/search", params)["data"]]


def test_lists_search_is_a_bare_array_with_yn_status(api):
    body = api.ok("lists/search")
    assert set(body) == {"success", "data"}
    assert isinstance(body["data"], list) and len(body["data"]) == 6
    first = body["data"][0]
    assert first == {
        "id": 2701,
        "name": "Medicare Leads Jan",
        "status": "Y",
        "campaign_id": 501,
        "last_called_at": first["last_called_at"],
    }
    assert first["last_called_at"] is None or isinstance(first["last_called_at"], str)
    assert [row["id"] for row in body["data"]] == sorted(row["id"] for row in body["data"])


@pytest.mark.parametrize(
    ("status", "expected"), [("1", "Y"), ("0", "N"), ("Y", "Y"), ("false", "N")]
)
def test_lists_search_status_filter(api, status, expected):
    rows = api.ok("lists/search", {"status": status})["data"]
    assert rows and all(row["status"] == expected for row in rows)


def test_lists_search_by_ids_and_campaign(api):
    assert list_ids(api, id="2703,2701") == [2701, 2703]
    assert list_ids(api, campaign_id=501) == [2701, 2702]
    api.domain_error("lists/search", {"id": 99999}, 6002)


@pytest.mark.parametrize("via", VIAS)
def test_lists_insert_answers_integer_ids_twice(api, via):
    body = api.ok("lists/insert", {"name": "Spring Promo Leads", "campaign_id": 502}, via=via)
    assert set(body) == {"success", "data", "id"}
    assert isinstance(body["id"], int) and body["data"] == {"list_id": body["id"]}
    row = api.ok("lists/search", {"id": body["id"]})["data"][0]
    assert (
        row["name"] == "Spring Promo Leads" and row["status"] == "Y" and row["campaign_id"] == 502
    )


def test_lists_insert_inactive(api):
    body = api.ok("lists/insert", {"name": "Parked Leads 2026", "campaign_id": 501, "status": 0})
    assert api.ok("lists/search", {"id": body["id"]})["data"][0]["status"] == "N"


@pytest.mark.parametrize(
    ("params", "code", "text"),
    [
        ({"campaign_id": 501}, 6003, "The List requires a name"),
        (
            {"name": "short", "campaign_id": 501},
            6046,
            "The List name should be at least 10 characters long",
        ),
        (
            {"name": "medicare leads jan", "campaign_id": 501},
            6081,
            "The list name should be unique",
        ),
        ({"name": "A Fine New List"}, 6004, "Unknown Campaign ID"),
        ({"name": "A Fine New List", "campaign_id": 999}, 6004, "Unknown Campaign ID"),
    ],
)
def test_lists_insert_errors(api, params, code, text):
    assert api.domain_error("lists/insert", params, code)["text"] == text
    assert len(api.ok("lists/search")["data"]) == 6


def test_lists_insert_description_too_long_is_400(api):
    response = api.call(
        "lists/insert", {"name": "A Fine New List", "campaign_id": 501, "description": "x" * 256}
    )
    assert response.status_code == 400 and "description" in response.get_json()["text"]


def test_lists_update(api):
    body = api.ok("lists/update", {"list_id": 2702, "name": "Medicare Aged Leads v2", "status": 0})
    assert body == {"success": True, "data": {"list_id": 2702}}
    row = api.ok("lists/search", {"id": 2702})["data"][0]
    assert row["name"] == "Medicare Aged Leads v2" and row["status"] == "N"
    # keeping its own name is not a uniqueness clash
    api.ok("lists/update", {"list_id": 2702, "name": "Medicare Aged Leads v2"})


def test_lists_update_moves_leads_campaign(api):
    api.ok("lists/update", {"list_id": 2701, "campaign_id": 503})
    entry = api.ok("leads/search", {"list_id": 2701, "limit": 1})["data"]["entries"][0]
    assert entry["campaign_id"] == "503" and entry["campaign_name"] == "Final Expense Inbound"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, 6002),
        ({"list_id": 1}, 6002),
        ({"list_id": 2701, "name": "short"}, 6046),
        ({"list_id": 2701, "name": "ACA Web Leads Q1"}, 6081),
        ({"list_id": 2701, "campaign_id": 9}, 6004),
    ],
)
def test_lists_update_errors_change_nothing(api, params, code):
    before = api.ok("lists/search")["data"]
    api.domain_error("lists/update", params, code)
    assert api.ok("lists/search")["data"] == before


def test_lists_delete_cascades_to_leads(api):
    in_list = api.ok("leads/search", {"list_id": 2701})["data"]["total"]
    assert int(in_list) > 0
    assert api.ok("lists/delete", {"list_id": 2701}) == {"success": True}
    assert api.ok("leads/search", {"list_id": 2701})["data"]["total"] == "0"
    assert api.ok("leads/search")["data"]["total"] == str(300 - int(in_list))
    assert 2701 not in list_ids(api)
    api.domain_error("lists/delete", {"list_id": 2701}, 6002)
    api.domain_error("leads/insert", {"list_id": 2701, "phone_number": "5305550101"}, 6002)


def test_campaigns_search_shape(api):
    body = api.ok("campaigns/search", {"limit": 1, "offset": 3})  # ignored, as in Convoso
    data = body["data"]
    assert [c["id"] for c in data] == [501, 502, 503, 504]
    for campaign in data:
        assert set(campaign) == {"id", "name", "status", "last_call_date"}
        assert campaign["status"] in ("Y", "N")
        last = campaign["last_call_date"]
        if last is not None:
            assert set(last) == {"date", "timezone_type", "timezone"}
            assert last["timezone_type"] == 3 and last["timezone"] == "America/Los_Angeles"
            assert last["date"].endswith(".000000") and len(last["date"]) == 26
    assert data[3]["status"] == "N"


@pytest.mark.parametrize(
    ("value", "expected"), [("0", "N"), ("1", "Y"), ("false", "N"), ("TRUE", "Y")]
)
def test_campaigns_status(api, value, expected):
    assert api.ok("campaigns/status", {"campaign_id": 502, "status": value}) == {"success": True}
    status = {c["id"]: c["status"] for c in api.ok("campaigns/search")["data"]}[502]
    assert status == expected


def test_campaigns_status_errors(api):
    assert (
        api.domain_error("campaigns/status", {"status": 1}, 6004)["text"] == "Unknown Campaign ID"
    )
    api.domain_error("campaigns/status", {"campaign_id": 9, "status": 1}, 6004)
    assert (
        api.domain_error("campaigns/status", {"campaign_id": 501}, 6010)["text"] == "Missing status"
    )
    response = api.call("campaigns/status", {"campaign_id": 501, "status": "maybe"})
    assert response.status_code == 400
