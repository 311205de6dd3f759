"""dnc/insert, dnc/update, dnc/search, dnc/delete and DNC enforcement, through HTTP."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

# Numbers no seeded lead or DNC entry has: leads never use the 555 exchange, and the
# seeded spare numbers are 555-01xx only.
PHONE = "3105557701"
OTHER = "3105557702"
NOW = "2025-12-31 16:00:00"  # `frozen_api`'s stopped clock (2026-01-01 UTC) in ACME's zone
ROW_KEYS = [
    "id",
    "phone_number",
    "campaign_id",
    "insert_date",
    "phone_code",
    "campaign_uid",
    "campaign_name",
    "campaign_type",
    "purpose",
    "reason",
]
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
VIAS = ["form", "json", "query"]


def everything(api) -> list[dict]:
    return api.ok("dnc/search", {"limit": 1000})["data"]["entries"]


def total(api) -> int:
    return api.ok("dnc/search", {"limit": 1})["data"]["total"]


def insert(api, phone: str = PHONE, campaign: int = 0, **params) -> int:
    body = api.ok(
        "dnc/insert", {"phone_number": phone, "phone_code": "1", "campaign_id": campaign, **params}
    )
    return body["id"]


def by_phone(api, phone: str) -> list[dict]:
    return api.ok("dnc/search", {"phone_number": phone})["data"]["entries"]


def campaign_names(api) -> dict[str, str]:
    return {str(c["id"]): c["name"] for c in api.ok("campaigns/search")["data"]}


# --- dnc/search ---------------------------------------------------------------------


def test_search_envelope_types_and_seeded_rows(api):
    body = api.ok("dnc/search")
    assert set(body) == {"success", "data"}
    data = body["data"]
    assert list(data) == ["offset", "limit", "total", "entries"]
    assert (data["offset"], data["limit"]) == (0, 100)
    assert type(data["total"]) is int and data["total"] == len(data["entries"]) == 18
    names = campaign_names(api)
    ids = [int(e["id"]) for e in data["entries"]]
    assert ids == sorted(ids)
    office_wide = campaigns = 0
    for entry in data["entries"]:
        assert list(entry) == ROW_KEYS
        assert all(type(v) is str for v in entry.values()), entry
        assert TIMESTAMP.match(entry["insert_date"]) and entry["insert_date"] <= NOW
        assert entry["phone_number"].isdigit() and entry["phone_code"] == "1"
        assert entry["reason"] in ("", "DNC", "DNCT", "ConsentRevoked")
        if entry["campaign_id"] == "0":
            office_wide += 1
            assert (entry["campaign_uid"], entry["campaign_name"], entry["campaign_type"]) == (
                "",
                "",
                "",
            )
        else:
            campaigns += 1
            assert re.fullmatch(r"[0-9a-f]{32}", entry["campaign_uid"])
            assert entry["campaign_name"] == names[entry["campaign_id"]]
            assert entry["campaign_type"] == "Normal"
    assert office_wide >= 3 and campaigns >= 2


@pytest.mark.parametrize("via", VIAS)
def test_search_by_phone_reads_one_entry_every_way(api, via):
    entry = everything(api)[5]
    body = api.ok("dnc/search", {"phone_number": entry["phone_number"]}, via=via)
    assert body["data"]["entries"] == [
        e for e in everything(api) if e["phone_number"] == entry["phone_number"]
    ]
    assert body["data"]["total"] == len(body["data"]["entries"]) >= 1


def test_search_filters(api):
    rows = everything(api)
    first = rows[0]
    assert api.ok("dnc/search", {"id": first["id"]})["data"]["entries"] == [first]
    assert api.ok("dnc/search", {"campaign_id": 0})["data"]["entries"] == [
        e for e in rows if e["campaign_id"] == "0"
    ]
    campaign = next(e["campaign_id"] for e in rows if e["campaign_id"] != "0")
    assert api.ok("dnc/search", {"campaign_id": campaign})["data"]["entries"] == [
        e for e in rows if e["campaign_id"] == campaign
    ]
    day = first["insert_date"][:10]
    assert api.ok("dnc/search", {"insert_date": day})["data"]["entries"] == [
        e for e in rows if e["insert_date"].startswith(day)
    ]
    assert api.ok("dnc/search", {"insert_date": first["insert_date"]})["data"]["entries"] == [
        e for e in rows if e["insert_date"] == first["insert_date"]
    ]
    assert api.ok("dnc/search", {"reason": "-BLANK-"})["data"]["entries"] == [
        e for e in rows if e["reason"] == ""
    ]
    assert api.ok("dnc/search", {"purpose": "-NOTBLANK-"})["data"]["entries"] == [
        e for e in rows if e["purpose"] != ""
    ]
    assert api.ok("dnc/search", {"reason": "dnc", "campaign_id": 0})["data"]["entries"] == [
        e for e in rows if e["reason"] == "DNC" and e["campaign_id"] == "0"
    ]
    assert api.ok("dnc/search", {"phone_code": "44"})["data"] == {
        "offset": 0,
        "limit": 100,
        "total": 0,
        "entries": [],
    }


def test_search_pages_and_limits(api):
    rows = everything(api)
    page = api.ok("dnc/search", {"offset": 4, "limit": 5})["data"]
    assert (page["offset"], page["limit"], page["total"]) == (4, 5, len(rows))
    assert page["entries"] == rows[4:9]
    assert api.ok("dnc/search", {"limit": 5000})["data"]["limit"] == 1000
    assert api.ok("dnc/search", {"offset": 10**9})["data"]["entries"] == []


def test_search_with_every_parameter_sent_empty_means_no_filter(api):
    """A real Cypress client posts every filter, most of them empty."""
    params = {
        "id": "",
        "campaign_id": "",
        "phone_number": "",
        "phone_code": "1",
        "insert_date": "",
        "offset": "",
        "limit": "",
    }
    assert api.ok("dnc/search", params, via="query")["data"]["entries"] == everything(api)


@pytest.mark.parametrize(
    ("params", "code", "text"),
    [
        ({"campaign_id": 999}, 6006, "Invalid Campaign ID"),
        ({"campaign_id": 601}, 6006, "Invalid Campaign ID"),  # BRAVO's campaign
        ({"campaign_id": "abc"}, 6006, "Invalid Campaign ID"),
        ({"phone_number": "12"}, 6008, "The phone number already exists."),  # sic
        ({"phone_code": "abc"}, 6026, "Missing or invalid Country Code"),
        ({"id": "x1"}, 6056, "Missing or invalid value for ID"),
        ({"purpose": "Marketing"}, 6057, "Invalid Purpose Provided"),
        ({"reason": "Because"}, 6058, "Invalid Reason Provided"),
        ({"offset": "-1"}, 7231, "Invalid offset value"),
        ({"limit": "0"}, 7230, "Invalid limit value"),
    ],
)
def test_search_errors(api, params, code, text):
    assert api.domain_error("dnc/search", params, code)["text"] == text


def test_search_insert_date_shapes(api):
    response = api.call("dnc/search", {"insert_date": "2026-13-01"})
    assert response.status_code == 400
    assert response.get_json() == {
        "success": False,
        "code": 400,
        "text": "Invalid parameter insert_date: "
        "Not a valid date: use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS.",
    }
    # A day shaped right that does not exist is no error: it matches nothing.
    assert api.ok("dnc/search", {"insert_date": "2026-02-30"})["data"]["total"] == 0
    stamp = everything(api)[0]["insert_date"]
    found = api.ok("dnc/search", {"insert_date": stamp.replace(" ", "T")})["data"]["entries"]
    assert [e["insert_date"] for e in found] == [stamp] * len(found) and found


# --- dnc/insert ---------------------------------------------------------------------


@pytest.mark.parametrize("via", VIAS)
def test_insert_answers_the_id_and_stores_the_entry(frozen_api, via):
    api = frozen_api
    before = total(api)
    body = api.ok(
        "dnc/insert",
        {
            "phone_number": "(310) 555-7701",
            "phone_code": "+1",
            "campaign_id": 501,
            "reason": "consentrevoked",
            "purpose": "telemkt",
        },
        via=via,
    )
    assert set(body) == {"success", "id"} and type(body["id"]) is int
    assert total(api) == before + 1
    names = campaign_names(api)
    [entry] = by_phone(api, PHONE)
    assert entry == {
        "id": str(body["id"]),
        "phone_number": PHONE,
        "campaign_id": "501",
        "insert_date": NOW,
        "phone_code": "1",
        "campaign_uid": entry["campaign_uid"],
        "campaign_name": names["501"],
        "campaign_type": "Normal",
        "purpose": "TELEMKT",
        "reason": "ConsentRevoked",
    }
    assert re.fullmatch(r"[0-9a-f]{32}", entry["campaign_uid"])
    assert body["id"] > max(int(e["id"]) for e in everything(api) if e["id"] != entry["id"])


def test_a_campaign_rows_uid_is_the_one_leads_search_answers(api):
    insert(api, campaign=502)
    [entry] = by_phone(api, PHONE)
    lead = api.ok("leads/search", {"list_id": 2703, "limit": 1})["data"]["entries"][0]
    assert lead["campaign_id"] == "502"
    assert entry["campaign_uid"] == lead["campaign_uid"]


def test_insert_same_number_office_wide_and_per_campaign_are_two_entries(api):
    first = insert(api, campaign=0)
    second = insert(api, campaign=502)
    assert second == first + 1
    rows = by_phone(api, PHONE)
    assert [(r["id"], r["campaign_id"], r["reason"], r["purpose"]) for r in rows] == [
        (str(first), "0", "", ""),
        (str(second), "502", "", ""),
    ]


@pytest.mark.parametrize(
    ("params", "code", "text"),
    [
        ({"phone_number": None}, 6007, "Invalid Phone Number"),
        ({"phone_number": "12ab"}, 6007, "Invalid Phone Number"),
        ({"phone_code": None}, 6026, "Missing or invalid Country Code"),
        ({"phone_code": "12345"}, 6026, "Missing or invalid Country Code"),
        ({"campaign_id": None}, 6006, "Invalid Campaign ID"),
        ({"campaign_id": 999}, 6006, "Invalid Campaign ID"),
        ({"campaign_id": 601}, 6006, "Invalid Campaign ID"),  # another office's campaign
        ({"purpose": "DCM Purpose"}, 6057, "Invalid Purpose Provided"),
        ({"reason": "DCM Reason"}, 6058, "Invalid Reason Provided"),
        ({"reason": "-NOTBLANK-"}, 6058, "Invalid Reason Provided"),
    ],
)
def test_insert_errors_store_nothing(api, params, code, text):
    before = everything(api)
    full = {"phone_number": PHONE, "phone_code": "1", "campaign_id": 0, **params}
    sent = {k: v for k, v in full.items() if v is not None}
    assert api.domain_error("dnc/insert", sent, code)["text"] == text
    assert everything(api) == before


def test_insert_duplicate_triple_is_6008(api):
    insert(api)
    before = everything(api)
    body = api.domain_error(
        "dnc/insert", {"phone_number": PHONE, "phone_code": "1", "campaign_id": "0"}, 6008
    )
    assert body["text"] == "The phone number already exists."
    assert everything(api) == before


# --- dnc/update ---------------------------------------------------------------------


@pytest.mark.parametrize("via", VIAS)
def test_update_changes_given_fields_only(frozen_api, via):
    api = frozen_api
    entry_id = insert(api, reason="DNC", purpose="HIPAA")
    body = api.ok(
        "dnc/update",
        {"id": entry_id, "phone_number": OTHER, "campaign_id": 503, "reason": "-BLANK-"},
        via=via,
    )
    assert body == {"success": True, "id": entry_id}
    assert by_phone(api, PHONE) == []
    [entry] = by_phone(api, OTHER)
    assert (entry["id"], entry["campaign_id"], entry["reason"], entry["purpose"]) == (
        str(entry_id),
        "503",
        "",
        "HIPAA",
    )
    assert entry["insert_date"] == NOW


@pytest.mark.parametrize(
    ("params", "code", "text"),
    [
        ({"id": None}, 6056, "Missing or invalid value for ID"),
        ({"id": "abc"}, 6056, "Missing or invalid value for ID"),
        ({"id": 1}, 6056, "Missing or invalid value for ID"),
        ({"campaign_id": 999}, 6004, "Unknown Campaign ID"),
        ({"campaign_id": "x"}, 6004, "Unknown Campaign ID"),
        ({"phone_number": "555"}, 6008, "The phone number is invalid"),
        ({"phone_code": "one"}, 6026, "Missing or invalid Country Code"),
        ({"purpose": "Nope"}, 6057, "Invalid Purpose Provided"),
        ({"reason": "Nope"}, 6058, "Invalid Reason Provided"),
    ],
)
def test_update_errors_change_nothing(api, params, code, text):
    entry_id = insert(api)
    before = everything(api)
    full = {"id": entry_id, **params}
    sent = {k: v for k, v in full.items() if v is not None}
    assert api.domain_error("dnc/update", sent, code)["text"] == text
    assert everything(api) == before


def test_update_onto_another_entrys_triple_is_6059(api):
    insert(api, campaign=0)
    second = insert(api, OTHER, campaign=0)
    before = everything(api)
    body = api.domain_error("dnc/update", {"id": second, "phone_number": PHONE}, 6059)
    assert body["text"] == (
        "This combination of Phone number, Campaign ID, and Phone Code already exists."
    )
    assert everything(api) == before
    # Its own triple is no collision.
    assert api.ok("dnc/update", {"id": second, "phone_number": OTHER}) == {
        "success": True,
        "id": second,
    }


# --- dnc/delete ---------------------------------------------------------------------


@pytest.mark.parametrize("via", VIAS)
def test_delete_removes_the_entry(api, via):
    insert(api, campaign=501)
    insert(api, campaign=0)
    body = api.ok(
        "dnc/delete", {"phone_number": PHONE, "phone_code": "1", "campaign_id": 501}, via=via
    )
    assert body == {"success": True}
    assert [e["campaign_id"] for e in by_phone(api, PHONE)] == ["0"]


@pytest.mark.parametrize(
    ("params", "code", "text"),
    [
        ({"phone_number": None}, 6002, "Missing Phone Number"),
        ({"phone_code": None}, 6000, "Missing Phone Code"),
        ({"campaign_id": None}, 6001, "Missing Campaign ID"),
        ({"campaign_id": 502}, 6003, "Phone Number Not Found"),
        ({"phone_number": OTHER}, 6003, "Phone Number Not Found"),
        ({"phone_number": "x"}, 6003, "Phone Number Not Found"),
        ({"update_lead_status": "1"}, 6005, "Missing Lead status"),
        ({"update_lead_status": "yes", "lead_status": "ZZZ"}, 6004, "Invalid Lead status"),
    ],
)
def test_delete_errors_change_nothing(api, params, code, text):
    insert(api, campaign=501)
    before = everything(api)
    full = {"phone_number": PHONE, "phone_code": "1", "campaign_id": 501, **params}
    sent = {k: v for k, v in full.items() if v is not None}
    assert api.domain_error("dnc/delete", sent, code)["text"] == text
    assert everything(api) == before


def lead(api, list_id: int, status: str = "NEW") -> str:
    lead_id = api.ok("leads/insert", {"list_id": list_id, "phone_number": PHONE, "status": status})[
        "data"
    ]["lead_id"]
    return str(lead_id)


def statuses(api) -> dict[str, str]:
    entries = api.ok("leads/search", {"phone_number": PHONE})["data"]["entries"]
    return {e["id"]: e["status"] for e in entries}


def test_delete_with_lead_status_updates_the_campaigns_leads(frozen_api):
    api = frozen_api
    on_501, on_502 = lead(api, 2701), lead(api, 2703)  # campaigns 501 and 502
    insert(api, campaign=501)
    params = {"phone_number": PHONE, "phone_code": "1", "campaign_id": 501}
    api.ok("dnc/delete", {**params, "update_lead_status": "1", "lead_status": "ni"})
    assert statuses(api) == {on_501: "NI", on_502: "NEW"}
    entry = api.ok("leads/search", {"lead_id": on_501})["data"]["entries"][0]
    assert (entry["status_name"], entry["modified_at"]) == ("Not Interested", NOW)


def test_delete_office_wide_with_lead_status_updates_every_lead_of_the_number(api):
    first, second = lead(api, 2701), lead(api, 2705)
    insert(api, campaign=0)
    params = {"phone_number": PHONE, "phone_code": "1", "campaign_id": 0}
    api.ok("dnc/delete", {**params, "update_lead_status": "true", "lead_status": "CALLBK"})
    assert statuses(api) == {first: "CALLBK", second: "CALLBK"}
    assert by_phone(api, PHONE) == []


def test_delete_with_update_lead_status_no_leaves_leads_alone(api):
    """The Cypress client's call: update_lead_status=no and an empty lead_status."""
    lead_id = lead(api, 2701)
    insert(api, campaign=501)
    params = {"phone_number": PHONE, "phone_code": "1", "campaign_id": 501}
    api.ok("dnc/delete", {**params, "update_lead_status": "no", "lead_status": ""}, via="query")
    assert statuses(api) == {lead_id: "NEW"}


def test_delete_to_a_dnc_status_does_not_relist_the_number(api):
    lead(api, 2701)
    insert(api, campaign=501)
    params = {"phone_number": PHONE, "phone_code": "1", "campaign_id": 501}
    api.ok("dnc/delete", {**params, "update_lead_status": "1", "lead_status": "DNC"})
    assert by_phone(api, PHONE) == []


# --- enforcement --------------------------------------------------------------------


def test_check_dnc_refuses_a_number_on_the_office_wide_list(api):
    insert(api, campaign=0)
    params = {"list_id": 2705, "phone_number": PHONE, "check_dnc": "1"}
    body = api.domain_error("leads/insert", params, 6011)
    assert body["text"] == "The phone number is on the DNC list"
    assert api.ok("leads/search", {"phone_number": PHONE})["data"]["total"] == "0"
    # Without check_dnc the lead goes in (Convoso checks only when asked).
    api.ok("leads/insert", {**params, "check_dnc": "0"})
    assert api.ok("leads/search", {"phone_number": PHONE})["data"]["total"] == "1"


def test_check_dnc_refuses_only_on_the_target_lists_campaign(api):
    insert(api, campaign=501)
    refused = {"list_id": 2702, "phone_number": PHONE, "check_dnc": "true"}  # campaign 501
    api.domain_error("leads/insert", refused, 6011, via="json")
    assert api.ok("leads/search", {"phone_number": PHONE})["data"]["total"] == "0"
    api.ok("leads/insert", {**refused, "list_id": 2703})  # campaign 502: not listed there
    assert api.ok("leads/search", {"phone_number": PHONE})["data"]["total"] == "1"


def test_check_dnc_matches_the_country_code_too(api):
    insert(api, campaign=0, phone_code="44")
    api.ok("leads/insert", {"list_id": 2701, "phone_number": PHONE, "check_dnc": "1"})
    refused = {"list_id": 2701, "phone_number": PHONE, "phone_code": 44, "check_dnc": "1"}
    api.domain_error("leads/insert", refused, 6011)


def test_check_dnc_refuses_before_update_if_found(api):
    lead_id = lead(api, 2701)
    insert(api, campaign=0)
    params = {"list_id": 2701, "phone_number": PHONE, "check_dnc": 1, "update_if_found": 1}
    api.domain_error("leads/insert", {**params, "first_name": "Changed"}, 6011)
    entry = api.ok("leads/search", {"lead_id": lead_id})["data"]["entries"][0]
    assert entry["first_name"] is None


def test_a_dnc_status_lists_the_number_on_the_leads_campaign(frozen_api):
    api = frozen_api
    lead_id = lead(api, 2703)  # campaign 502
    assert by_phone(api, PHONE) == []
    api.ok("leads/update", {"lead_id": lead_id, "status": "ni"})
    assert by_phone(api, PHONE) == []
    api.ok("leads/update", {"lead_id": lead_id, "status": "dnc"})
    [entry] = by_phone(api, PHONE)
    assert (entry["campaign_id"], entry["reason"], entry["purpose"], entry["insert_date"]) == (
        "502",
        "DNC",
        "",
        NOW,
    )
    api.ok("leads/update", {"lead_id": lead_id, "status": "DNC", "first_name": "Again"})
    assert len(by_phone(api, PHONE)) == 1  # listed once
    # The campaign's list now refuses the number on a checked insert; others take it.
    api.domain_error("leads/insert", {"list_id": 2703, "phone_number": PHONE, "check_dnc": 1}, 6011)
    api.ok("leads/insert", {"list_id": 2701, "phone_number": PHONE, "check_dnc": 1})


def test_a_lead_inserted_with_a_dnc_status_is_listed(api):
    lead(api, 2705, status="DNC")  # campaign 503
    assert [e["campaign_id"] for e in by_phone(api, PHONE)] == ["503"]


# --- office isolation, permissions, state ----------------------------------------------


def test_offices_are_isolated(api, bravo_api):
    insert(api, campaign=0)
    assert by_phone(bravo_api, PHONE) == []
    params = {"phone_number": PHONE, "phone_code": "1", "campaign_id": 0}
    bravo_api.domain_error("dnc/delete", params, 6003)
    acme_ids = {e["id"] for e in everything(api)}
    bravo_ids = {e["id"] for e in everything(bravo_api)}
    assert acme_ids and bravo_ids and not acme_ids & bravo_ids
    bravo_api.domain_error("dnc/update", {"id": min(acme_ids), "reason": "DNC"}, 6056)
    # BRAVO's leads are not refused by ACME's list.
    bravo_api.ok("leads/insert", {"list_id": 3801, "phone_number": PHONE, "check_dnc": 1})


@pytest.mark.parametrize("action", ["dnc/insert", "dnc/update", "dnc/search", "dnc/delete"])
def test_a_token_without_the_dnc_section_is_refused(api, acme, action):
    assert "dnc" not in acme.limited_sections
    response = api.call(action, {"phone_number": PHONE}, token=acme.limited_token)
    assert response.status_code == 403
    assert response.get_json() == {"success": False, "code": 403, "text": "Forbidden"}


def test_reset_snapshot_and_restore_cover_the_dnc_lists(api):
    seeded = everything(api)
    entry_id = insert(api, campaign=0)
    snap = api.control("GET", "snapshot").get_json()
    assert [e["id"] for e in snap["offices"]["ACME"]["dnc"]][-1] == entry_id
    api.control("POST", "reset")
    assert everything(api) == seeded
    assert api.control("POST", "snapshot", json=snap).status_code == 200
    assert [e["id"] for e in by_phone(api, PHONE)] == [str(entry_id)]  # index rebuilt
    assert insert(api, OTHER) == entry_id + 1  # the id counter came back too


def test_concurrent_inserts_get_unique_ids_and_all_land(api):
    before = total(api)
    phones = [f"31055580{n:02d}" for n in range(64)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        ids = list(pool.map(lambda phone: insert(api, phone), phones))
    assert len(set(ids)) == 64 and max(ids) - min(ids) == 63
    assert total(api) == before + 64


def test_concurrent_duplicate_inserts_store_exactly_one(api):
    def attempt(_: int) -> bool:
        params = {"phone_number": PHONE, "phone_code": "1", "campaign_id": 0}
        return api.call("dnc/insert", params).get_json()["success"]

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(attempt, range(48)))
    assert results.count(True) == 1 and results.count(False) == 47
    assert len(by_phone(api, PHONE)) == 1


# --- the two SDKs' transports (convoso-api-more.md §1) ---------------------------------


def test_walmat_sdk_style_get_with_a_json_content_type_and_no_body(api):
    """walmat/convoso-sdk sends every call as GET, params in the query, JSON header."""
    json_header = {"Content-Type": "application/json"}
    params = {"phone_number": PHONE, "phone_code": "1", "campaign_id": "0", "reason": "DNC"}
    body = api.ok("dnc/insert", params, via="query", headers=json_header)
    found = api.ok(
        "dnc/search", {"phone_number": PHONE, "limit": 1000}, via="query", headers=json_header
    )
    assert [e["id"] for e in found["data"]["entries"]] == [str(body["id"])]
    deleted = api.ok(
        "dnc/delete", {**params, "update_lead_status": "false"}, via="query", headers=json_header
    )
    assert deleted == {"success": True} and by_phone(api, PHONE) == []


def test_thornebridge_sdk_style_form_posts_with_boolean_words(api):
    """thornebridge/convoso-js posts forms; booleans arrive as true/false."""
    lead_id = lead(api, 2701)
    params = {"phone_number": PHONE, "phone_code": "1", "campaign_id": "501"}
    entry_id = api.ok("dnc/insert", params)["id"]
    assert api.ok("dnc/update", {"id": entry_id, "purpose": "TELEMKT"}) == {
        "success": True,
        "id": entry_id,
    }
    api.ok("dnc/delete", {**params, "update_lead_status": "true", "lead_status": "NI"})
    assert statuses(api) == {lead_id: "NI"}
