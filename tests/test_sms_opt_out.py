"""sms-opt-out/insert, sms-opt-out/update and sms-opt-out/search through HTTP."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

PHONE = "3105557701"  # on no seeded list (leads never use 555; spares are 555-01xx)
OTHER = "3105557702"
NOW = "2025-12-31 16:00:00"  # `frozen_api`'s stopped clock in ACME's zone (Los Angeles)
ROW_KEYS = [
    "id",
    "phone_number",
    "campaign_id",
    "reason",
    "Purpose",
    "insert_date",
    "phone_code",
    "campaign_uid",
    "campaign_name",
]
VIAS = ["form", "json", "query"]


def everything(api) -> list[dict]:
    return api.ok("sms-opt-out/search", {"limit": 1000})["data"]["entries"]


def by_phone(api, phone: str = PHONE) -> list[dict]:
    return api.ok("sms-opt-out/search", {"phone_number": phone})["data"]["entries"]


def insert(api, phone: str = PHONE, campaign: int = 0, **params) -> int:
    body = api.ok(
        "sms-opt-out/insert",
        {"phone_number": phone, "phone_code": "1", "campaign_id": campaign, **params},
    )
    assert body == {"success": True}  # no id, unlike dnc/insert
    return int(by_phone(api, phone)[-1]["id"])


def test_search_envelope_types_and_seeded_rows(api):
    body = api.ok("sms-opt-out/search")
    assert set(body) == {"success", "data"}
    data = body["data"]
    assert list(data) == ["offset", "limit", "total", "entries"]
    assert (data["offset"], data["limit"]) == (0, 100)
    assert type(data["total"]) is int and data["total"] == len(data["entries"]) == 5
    names = {str(c["id"]): c["name"] for c in api.ok("campaigns/search")["data"]}
    for entry in data["entries"]:
        assert list(entry) == ROW_KEYS
        assert all(type(v) is str for v in entry.values()), entry
        if entry["campaign_id"] == "0":
            assert (entry["campaign_uid"], entry["campaign_name"]) == ("", "")
        else:
            assert re.fullmatch(r"[0-9a-f]{32}", entry["campaign_uid"])
            assert entry["campaign_name"] == names[entry["campaign_id"]]
    # A list of its own: none of these is a DNC entry's id.
    dnc_ids = {e["id"] for e in api.ok("dnc/search", {"limit": 1000})["data"]["entries"]}
    assert not dnc_ids & {e["id"] for e in data["entries"]}


@pytest.mark.parametrize("via", VIAS)
def test_insert_answers_no_id_and_stores_the_entry(frozen_api, via):
    api = frozen_api
    body = api.ok(
        "sms-opt-out/insert",
        {
            "phone_number": PHONE,
            "phone_code": "1",
            "campaign_id": 0,
            "reason": "dnct",
            "purpose": "notify",
        },
        via=via,
    )
    assert body == {"success": True}
    [entry] = by_phone(api)
    assert entry == {
        "id": entry["id"],
        "phone_number": PHONE,
        "campaign_id": "0",
        "reason": "DNCT",
        "Purpose": "NOTIFY",
        "insert_date": NOW,
        "phone_code": "1",
        "campaign_uid": "",
        "campaign_name": "",
    }
    assert int(entry["id"]) > max(int(e["id"]) for e in everything(api) if e != entry)
    # Not on the DNC list: the two lists are apart.
    assert api.ok("dnc/search", {"phone_number": PHONE})["data"]["total"] == 0


@pytest.mark.parametrize(
    ("params", "code", "text"),
    [
        ({"phone_number": None}, 6007, "Invalid Phone Number"),
        ({"phone_code": "x"}, 6026, "Missing or Invalid Country Code"),
        ({"campaign_id": 999}, 6006, "Invalid Campaign ID"),
        ({"purpose": "SMS Opt-Out Purpose"}, 6057, "Invalid Purpose Provided"),
        ({"reason": "SMS Opt-Out reason"}, 6058, "Invalid Purpose Provided"),  # sic
    ],
)
def test_insert_errors_store_nothing(api, params, code, text):
    before = everything(api)
    full = {"phone_number": PHONE, "phone_code": "1", "campaign_id": 0, **params}
    sent = {k: v for k, v in full.items() if v is not None}
    assert api.domain_error("sms-opt-out/insert", sent, code)["text"] == text
    assert everything(api) == before


def test_insert_duplicate_is_6008(api):
    insert(api)
    body = api.domain_error(
        "sms-opt-out/insert", {"phone_number": PHONE, "phone_code": "1", "campaign_id": 0}, 6008
    )
    assert body["text"] == "The phone number already exists"
    assert len(by_phone(api)) == 1


@pytest.mark.parametrize("via", VIAS)
def test_update_answers_the_id_as_a_string_in_data(api, via):
    entry_id = insert(api, reason="DNC")
    body = api.ok(
        "sms-opt-out/update",
        {"id": entry_id, "phone_number": OTHER, "campaign_id": 502, "reason": "-BLANK-"},
        via=via,
    )
    assert body == {"success": True, "data": {"id": str(entry_id)}}
    assert by_phone(api) == []
    [entry] = by_phone(api, OTHER)
    assert (entry["id"], entry["campaign_id"], entry["reason"]) == (str(entry_id), "502", "")


@pytest.mark.parametrize(
    ("params", "code", "text"),
    [
        ({"id": None}, 6056, "Missing or Invalid value for ID"),
        ({"id": 7}, 6056, "Missing or Invalid value for ID"),
        (
            {"phone_number": ""},
            4001,
            "Missing a required field: phone_number / phone_code / campaign_id.",
        ),
        (
            {"campaign_id": ""},
            4001,
            "Missing a required field: phone_number / phone_code / campaign_id.",
        ),
        ({"phone_code": "one"}, 4002, "phone_number / phone_code / campaign_id must be numeric."),
        ({"campaign_id": "x"}, 4002, "phone_number / phone_code / campaign_id must be numeric."),
        ({"phone_number": "123"}, 6008, "The phone number is invalid."),
        ({"phone_code": "12345"}, 6026, "Missing or Invalid Country Code"),
        ({"campaign_id": 999}, 6004, "Unknown Campaign ID"),
        ({"purpose": "x"}, 6057, "Invalid Purpose Provided"),
        ({"reason": "x"}, 6058, "Invalid Reason Provided"),
    ],
)
def test_update_errors_change_nothing(api, params, code, text):
    entry_id = insert(api)
    before = everything(api)
    full = {"id": entry_id, **params}
    sent = {k: v for k, v in full.items() if v is not None}
    for via in VIAS:  # an empty value reaches the action whichever way it is sent
        assert api.domain_error("sms-opt-out/update", sent, code, via=via)["text"] == text
    assert everything(api) == before


def test_update_collision_is_6059(api):
    insert(api)
    second = insert(api, OTHER)
    body = api.domain_error("sms-opt-out/update", {"id": second, "phone_number": PHONE}, 6059)
    assert body["text"].startswith("This combination of Phone number")


def test_search_filters_and_capitalised_names(api):
    insert(api, campaign=0, reason="DNC", purpose="TELEMKT")
    insert(api, campaign=501, reason="DNCT")
    rows = everything(api)
    assert api.ok("sms-opt-out/search", {"campaign_id": 501})["data"]["entries"] == [
        e for e in rows if e["campaign_id"] == "501"
    ]
    for name in ("purpose", "Purpose"):
        found = api.ok("sms-opt-out/search", {name: "telemkt"}, via="query")["data"]["entries"]
        assert found == [e for e in rows if e["Purpose"] == "TELEMKT"] and found
    for name in ("reason", "Reason"):
        found = api.ok("sms-opt-out/search", {name: "-NOTBLANK-"})["data"]["entries"]
        assert found == [e for e in rows if e["reason"] != ""]
    first = rows[0]
    assert api.ok("sms-opt-out/search", {"id": first["id"]})["data"]["entries"] == [first]
    # The official page types `id` as a string: one that is no number matches nothing.
    assert api.ok("sms-opt-out/search", {"id": "abc"})["data"]["total"] == 0
    day = first["insert_date"][:10]
    assert api.ok("sms-opt-out/search", {"insert_date": day})["data"]["entries"] == [
        e for e in rows if e["insert_date"].startswith(day)
    ]


def test_search_paging(api):
    rows = everything(api)
    page = api.ok("sms-opt-out/search", {"offset": 1, "limit": 2})["data"]
    assert page == {"offset": 1, "limit": 2, "total": len(rows), "entries": rows[1:3]}
    assert api.ok("sms-opt-out/search", {"limit": 99999})["data"]["limit"] == 1000
    assert api.ok("sms-opt-out/search", {"offset": 1_000_000})["data"]["entries"] == []


@pytest.mark.parametrize(
    ("params", "code", "text"),
    [
        ({"campaign_id": 601}, 6006, "Invalid Campaign ID"),
        ({"phone_number": "1"}, 6008, "The phone number already exists"),  # sic
        ({"phone_code": "+"}, 6026, "Missing or Invalid Country Code"),
        ({"purpose": "x"}, 6057, "Invalid Purpose Provided"),
        ({"Reason": "x"}, 6058, "Invalid Purpose Provided"),  # sic
        ({"offset": 1_000_001}, 7231, "Invalid offset value"),
        ({"limit": "0"}, 7230, "Invalid limit value"),
    ],
)
def test_search_errors(api, params, code, text):
    assert api.domain_error("sms-opt-out/search", params, code)["text"] == text


def test_offices_are_isolated(api, bravo_api):
    entry_id = insert(api)
    assert by_phone(bravo_api) == []
    bravo_api.domain_error("sms-opt-out/update", {"id": entry_id, "reason": "DNC"}, 6056)
    acme = {e["id"] for e in everything(api)}
    bravo = {e["id"] for e in everything(bravo_api)}
    assert acme and bravo and not acme & bravo


@pytest.mark.parametrize(
    "action", ["sms-opt-out/insert", "sms-opt-out/update", "sms-opt-out/search"]
)
def test_a_token_without_the_section_is_refused(api, acme, action):
    assert "sms-opt-out" not in acme.limited_sections
    response = api.call(action, {"phone_number": PHONE}, token=acme.limited_token)
    assert response.status_code == 403
    assert response.get_json() == {"success": False, "code": 403, "text": "Forbidden"}


def test_reset_snapshot_and_restore_cover_the_opt_outs(api):
    seeded = everything(api)
    entry_id = insert(api)
    snap = api.control("GET", "snapshot").get_json()
    assert snap["offices"]["ACME"]["sms_opt_outs"][-1]["id"] == entry_id
    api.control("POST", "reset")
    assert everything(api) == seeded
    assert api.control("POST", "snapshot", json=snap).status_code == 200
    assert [e["id"] for e in by_phone(api)] == [str(entry_id)]
    assert insert(api, OTHER) == entry_id + 1


def test_concurrent_inserts_all_land_once(api):
    before = len(everything(api))
    phones = [f"31055580{n:02d}" for n in range(32)] * 2  # each number twice

    def attempt(phone: str) -> bool:
        params = {"phone_number": phone, "phone_code": "1", "campaign_id": 0}
        return api.call("sms-opt-out/insert", params).get_json()["success"]

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(attempt, phones))
    assert results.count(True) == 32 and results.count(False) == 32
    rows = everything(api)
    assert len(rows) == before + 32
    assert len({e["id"] for e in rows}) == len(rows)
