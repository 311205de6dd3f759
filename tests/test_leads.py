"""leads/insert, leads/update, leads/delete and leads/search through HTTP, as a client sees them."""

from __future__ import annotations

import re

import pytest

from conftest import WHOLE_LOG
from mockvoso.records import LEAD_DERIVED, LEAD_STORED

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
VIAS = ["form", "json", "query"]


def first_lead(api) -> dict:
    return api.ok("leads/search", {"limit": 1})["data"]["entries"][0]


def insert(api, **fields) -> int:
    params = {"list_id": 2701, "phone_number": "5305550101", **fields}
    return api.ok("leads/insert", params)["data"]["lead_id"]


# --- leads/search -------------------------------------------------------------------


def test_search_envelope_and_types(api):
    body = api.ok("leads/search", {"limit": 3})
    assert set(body) == {"success", "data"}
    data = body["data"]
    assert set(data) == {"offset", "limit", "total", "entries"}
    assert data["offset"] == 0 and data["limit"] == 3
    assert isinstance(data["total"], str) and data["total"] == "300"  # Convoso: a string
    assert len(data["entries"]) == 3
    for entry in data["entries"]:
        assert list(entry)[: len(LEAD_STORED)] == list(LEAD_STORED)
        assert set(LEAD_DERIVED) <= set(entry)
        assert all(v is None or isinstance(v, str) for v in entry.values()), entry
        assert TIMESTAMP.match(entry["created_at"])
        assert entry["lead_id"] == entry["id"]


@pytest.mark.parametrize("via", VIAS)
def test_search_by_phone_finds_one_lead_every_way(api, via):
    lead = first_lead(api)
    body = api.ok("leads/search", {"phone_number": lead["phone_number"]}, via=via)
    assert body["data"]["total"] == "1"
    assert body["data"]["entries"][0]["id"] == lead["id"]


def test_search_phone_ignores_formatting(api):
    lead = first_lead(api)
    p = lead["phone_number"]
    formatted = f"({p[:3]}) {p[3:6]}-{p[6:]}"
    assert api.ok("leads/search", {"phone_number": formatted})["data"]["total"] == "1"


def test_search_default_and_capped_limit(api):
    assert api.ok("leads/search")["data"]["limit"] == 10
    data = api.ok("leads/search", {"limit": 5000})["data"]
    assert data["limit"] == 2000
    assert len(data["entries"]) == 300


def test_search_pages_are_stable_and_ascending(api):
    page1 = api.ok("leads/search", {"limit": 4})["data"]["entries"]
    page2 = api.ok("leads/search", {"limit": 4, "offset": 4})["data"]["entries"]
    ids = [int(e["id"]) for e in page1 + page2]
    assert ids == sorted(ids) and len(set(ids)) == 8


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"limit": "-1"}, 7230),
        ({"limit": "abc"}, 7230),
        ({"limit": "0"}, 7230),
        ({"offset": "-5"}, 7231),
        ({"offset": "x"}, 7231),
    ],
)
def test_search_bad_paging_is_a_domain_error(api, params, code):
    body = api.domain_error("leads/search", params, code)
    assert body["text"] == {7230: "Invalid limit value", 7231: "Invalid offset value"}[code]


def test_search_filters_by_list_status_user_and_combined(api):
    everything = api.ok("leads/search", {"limit": 2000})["data"]["entries"]
    by_list = [e for e in everything if e["list_id"] == "2701"]
    data = api.ok("leads/search", {"list_id": 2701, "limit": 2000})["data"]
    assert data["total"] == str(len(by_list)) and len(by_list) > 0
    assert [e["id"] for e in data["entries"]] == [e["id"] for e in by_list]
    status = everything[0]["status"]
    both = [e for e in by_list if e["status"] == status]
    data = api.ok("leads/search", {"list_id": 2701, "status": status.lower(), "limit": 2000})[
        "data"
    ]
    assert [e["id"] for e in data["entries"]] == [e["id"] for e in both]
    user = everything[0]["user_id"]
    expected = [e["id"] for e in everything if e["user_id"] == user]
    data = api.ok("leads/search", {"user_id": user, "limit": 2000})["data"]
    assert [e["id"] for e in data["entries"]] == expected


def test_search_comma_list_of_lists(api):
    everything = api.ok("leads/search", {"limit": 2000})["data"]["entries"]
    expected = [e["id"] for e in everything if e["list_id"] in ("2701", "2703")]
    data = api.ok("leads/search", {"list_id": "2701,2703", "limit": 2000})["data"]
    assert [e["id"] for e in data["entries"]] == expected


def test_search_text_filter_is_case_insensitive(api):
    lead = first_lead(api)
    data = api.ok("leads/search", {"first_name": lead["first_name"].upper(), "limit": 2000})["data"]
    assert lead["id"] in [e["id"] for e in data["entries"]]
    assert all(e["first_name"] == lead["first_name"] for e in data["entries"])


def test_search_date_ranges(api):
    everything = api.ok("leads/search", {"limit": 2000})["data"]["entries"]
    day = sorted(e["created_at"] for e in everything)[150][:10]
    expected = [e["id"] for e in everything if e["created_at"][:10] >= day]
    data = api.ok("leads/search", {"created_at_start_date": day, "limit": 2000})["data"]
    assert [e["id"] for e in data["entries"]] == expected
    expected = [e["id"] for e in everything if e["created_at"][:10] <= day]
    data = api.ok("leads/search", {"created_at_end_date": day, "limit": 2000})["data"]
    assert [e["id"] for e in data["entries"]] == expected


def test_search_bad_date_is_a_400(api):
    response = api.call("leads/search", {"created_at_start_date": "yesterday"})
    assert response.status_code == 400
    body = response.get_json()
    assert body["success"] is False and body["code"] == 400
    assert "created_at_start_date" in body["text"]


def test_search_no_match_is_success_with_zero(api):
    data = api.ok("leads/search", {"phone_number": "9999999999"})["data"]
    assert data["total"] == "0" and data["entries"] == []


def test_empty_params_mean_not_supplied(api):
    """Convoso's own examples send ~35 empty parameters: they filter nothing."""
    empties = {name: "" for name in ("list_id", "email", "first_name", "status", "limit", "offset")}
    for via in VIAS:
        data = api.ok("leads/search", empties, via=via)["data"]
        assert data["total"] == "300" and data["limit"] == 10 and data["offset"] == 0


def test_json_null_means_not_supplied(api):
    data = api.ok("leads/search", {"list_id": None, "limit": None}, via="json")["data"]
    assert data["total"] == "300" and data["limit"] == 10


# --- leads/insert -------------------------------------------------------------------


@pytest.mark.parametrize("via", VIAS)
def test_insert_returns_integer_id_and_stores_fields(api, via):
    body = api.ok(
        "leads/insert",
        {
            "list_id": "2702",
            "phone_number": "530-555-0199",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.com",
            "plan_sold": "Gold",
        },
        via=via,
    )
    assert set(body) == {"success", "data"} and set(body["data"]) == {"lead_id"}
    lead_id = body["data"]["lead_id"]
    assert isinstance(lead_id, int)
    entry = api.ok("leads/search", {"lead_id": lead_id})["data"]["entries"][0]
    assert entry["id"] == str(lead_id)
    assert entry["phone_number"] == "5305550199"
    assert entry["list_id"] == "2702" and entry["directory_name"] == "Medicare Aged Leads"
    assert entry["campaign_id"] == "501" and entry["campaign_name"] == "Medicare Outbound"
    assert entry["first_name"] == "Ada" and entry["email"] == "ada@example.com"
    assert entry["plan_sold"] == "Gold"  # a custom field, kept verbatim
    assert entry["phone_code"] == "1" and entry["status"] == "NEW"
    assert entry["created_at"] == entry["modified_at"]
    # the fixed clock (2026-01-01T00:00:00 UTC) in ACME's zone, America/Los_Angeles
    assert entry["created_at"].startswith("2025-12-31 16:00")


def test_insert_ids_increase(api):
    first, second = insert(api), insert(api, phone_number="5305550102")
    assert second == first + 1


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"phone_number": "5305550101"}, 6007),
        ({"list_id": 2701}, 6007),
        ({"list_id": 9999, "phone_number": "5305550101"}, 6002),
        ({"list_id": 2701, "phone_number": "55-abc"}, 6008),
        ({"list_id": 2701, "phone_number": "123"}, 6008),
        ({"list_id": 2701, "phone_number": "5305550101", "email": "not-an-email"}, 6079),
        ({"list_id": 2701, "phone_number": "5305550101", "user_id": "42"}, 6006),
    ],
)
def test_insert_domain_errors_write_nothing(api, params, code):
    api.domain_error("leads/insert", params, code)
    assert api.ok("leads/search")["data"]["total"] == "300"


def test_insert_wrong_type_is_a_400_naming_the_field(api):
    response = api.call("leads/insert", {"list_id": "abc", "phone_number": "5305550101"})
    assert response.status_code == 400
    assert response.get_json() == {
        "success": False,
        "code": 400,
        "text": "Invalid parameter list_id: Not a valid whole number: 'abc'.",
    }
    assert api.ok("leads/search")["data"]["total"] == "300"


def test_check_dup_scopes(api):
    lead = first_lead(api)  # lives in some list of some campaign
    phone, list_id = lead["phone_number"], int(lead["list_id"])
    other_list = 2705 if list_id != 2705 else 2701
    # 0: no check
    assert insert(api, phone_number=phone, check_dup=0, list_id=other_list)
    # 1 (and true): whole office
    api.domain_error(
        "leads/insert", {"list_id": other_list, "phone_number": phone, "check_dup": 1}, 6009
    )
    api.domain_error(
        "leads/insert", {"list_id": other_list, "phone_number": phone, "check_dup": "true"}, 6009
    )
    # 2: only the target list
    api.domain_error(
        "leads/insert", {"list_id": list_id, "phone_number": phone, "check_dup": 2}, 6009
    )
    fresh = "5305550777"
    insert(api, phone_number=fresh, list_id=2701)
    assert insert(api, phone_number=fresh, list_id=2705, check_dup=2)
    # 3: the target list's campaign (2701 and 2702 are both campaign 501)
    api.domain_error("leads/insert", {"list_id": 2702, "phone_number": fresh, "check_dup": 3}, 6009)
    assert insert(api, phone_number=fresh, list_id=2703, check_dup=3)


def test_check_dup_bad_value_is_a_400(api):
    response = api.call(
        "leads/insert", {"list_id": 2701, "phone_number": "5305550101", "check_dup": 7}
    )
    assert response.status_code == 400 and "check_dup" in response.get_json()["text"]


def test_update_if_found_updates_the_existing_lead(api):
    lead = first_lead(api)
    body = api.ok(
        "leads/insert",
        {
            "list_id": lead["list_id"],
            "phone_number": lead["phone_number"],
            "update_if_found": "yes",
            "notes": "upserted",
        },
    )
    assert body["data"]["lead_id"] == int(lead["id"])
    assert api.ok("leads/search")["data"]["total"] == "300"
    found = api.ok("leads/search", {"lead_id": lead["id"]})["data"]["entries"][0]
    assert found["notes"] == "upserted"


def test_update_if_found_inserts_when_nothing_matches(api):
    body = api.ok(
        "leads/insert", {"list_id": 2701, "phone_number": "5305550123", "update_if_found": 1}
    )
    assert api.ok("leads/search")["data"]["total"] == "301"
    assert isinstance(body["data"]["lead_id"], int)


def test_update_if_found_respects_search_list_id(api):
    lead = first_lead(api)
    other = 2705 if lead["list_id"] != "2705" else 2701
    body = api.ok(
        "leads/insert",
        {
            "list_id": other,
            "phone_number": lead["phone_number"],
            "update_if_found": 1,
            "search_list_id": other,
        },
    )
    assert body["data"]["lead_id"] != int(lead["id"])


def test_phone_code_is_stored(api):
    lead_id = insert(api, phone_code="44", phone_number="2079460000")
    entry = api.ok("leads/search", {"lead_id": lead_id})["data"]["entries"][0]
    assert entry["phone_code"] == "44"


# --- leads/update -------------------------------------------------------------------


@pytest.mark.parametrize("via", VIAS)
def test_update_answers_string_id_and_changes_only_given_fields(api, via):
    lead = first_lead(api)
    body = api.ok(
        "leads/update", {"lead_id": lead["id"], "status": "SALE", "first_name": ""}, via=via
    )
    assert body == {"success": True, "data": {"lead_id": lead["id"]}}  # a string here
    after = api.ok("leads/search", {"lead_id": lead["id"]})["data"]["entries"][0]
    assert after["status"] == "SALE" and after["status_name"] == "Sale Made"
    assert after["first_name"] == lead["first_name"]  # empty = not supplied, not blanked
    assert after["modified_at"] >= lead["modified_at"]
    assert after["created_at"] == lead["created_at"]


def test_update_moves_lead_between_lists_and_indexes_follow(api):
    lead = first_lead(api)
    target = "2705" if lead["list_id"] != "2705" else "2701"
    api.ok("leads/update", {"lead_id": lead["id"], "list_id": target})
    in_target = api.ok("leads/search", {"list_id": target, "limit": 2000})["data"]["entries"]
    assert lead["id"] in [e["id"] for e in in_target]
    in_old = api.ok("leads/search", {"list_id": lead["list_id"], "limit": 2000})["data"]["entries"]
    assert lead["id"] not in [e["id"] for e in in_old]


def test_update_custom_fields_merge(api):
    lead_id = insert(api, member_id="M-1")
    api.ok("leads/update", {"lead_id": lead_id, "plan_sold": "Silver"})
    entry = api.ok("leads/search", {"lead_id": lead_id})["data"]["entries"][0]
    assert entry["member_id"] == "M-1" and entry["plan_sold"] == "Silver"
    assert api.ok("leads/search", {"plan_sold": "silver"})["data"]["total"] == "1"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, 6001),
        ({"lead_id": 1}, 6001),
        ({"list_id": 9999}, 6002),
        ({"phone_number": "abc"}, 6008),
        ({"email": "x@"}, 6079),
        ({"owner_id": "77"}, 6006),
    ],
)
def test_update_domain_errors_change_nothing(api, params, code):
    lead = first_lead(api)
    if "lead_id" not in params and params:
        params = {"lead_id": lead["id"], **params}
    api.domain_error("leads/update", params, code)
    assert api.ok("leads/search", {"lead_id": lead["id"]})["data"]["entries"][0] == lead


# --- leads/delete -------------------------------------------------------------------


@pytest.mark.parametrize("via", VIAS)
def test_delete_removes_the_lead_and_its_calls(api, via):
    calls = api.ok("log/retrieve", {"limit": 1})["data"]["results"]
    lead_id = calls[0]["lead_id"]
    assert api.ok("leads/delete", {"lead_id": lead_id}, via=via) == {"success": True}
    assert api.ok("leads/search", {"lead_id": lead_id})["data"]["total"] == "0"
    gone = api.ok("log/retrieve", {"lead_id": lead_id, **WHOLE_LOG})["data"]
    assert gone["total_found"] == "0"
    api.domain_error("leads/delete", {"lead_id": lead_id}, 6001)


def test_delete_errors(api):
    assert api.domain_error("leads/delete", {}, 6001)["text"] == "No such Lead"
    api.domain_error("leads/delete", {"lead_id": 1}, 6001)


def test_custom_fields_keep_the_order_they_were_sent_in(api):
    sent = {"zeta": "1", "alpha": "2", "mid": "3", "beta": "4"}
    body = api.ok("leads/insert", {"list_id": 2702, "phone_number": "5305559911", **sent})
    lead_id = body["data"]["lead_id"]
    entry = api.ok("leads/search", {"lead_id": lead_id})["data"]["entries"][0]
    assert [k for k in entry if k in sent] == list(sent)


def test_custom_field_order_is_the_same_in_every_process():
    """marshmallow hands unknown keys over in set order: hash seeds must not show through."""
    import subprocess
    import sys

    code = (
        "import json\n"
        "from mockvoso.app import create_app\n"
        "app = create_app({'seed': 1, 'leads': 0, 'clock': '2026-01-01T00:00:00'})\n"
        "c = app.test_client()\n"
        "tok = c.get('/_mockvoso/offices').get_json()['offices'][0]['tokens'][0]['token']\n"
        "lists = c.post('/v1/lists/search', data={'auth_token': tok}).get_json()['data']\n"
        "body = {'auth_token': tok, 'list_id': lists[0]['id'], 'phone_number': '5305559912'}\n"
        "body.update({k: 'v' for k in ('qq', 'bb', 'zz', 'aa', 'mm', 'cc')})\n"
        "c.post('/v1/leads/insert', data=body)\n"
        "e = c.post('/v1/leads/search', data={'auth_token': tok}).get_json()['data']['entries']\n"
        "print(json.dumps(list(e[-1])))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**__import__("os").environ, "PYTHONHASHSEED": str(hash_seed)},
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        for hash_seed in (1, 2, 3, 4)
    }
    assert len(outputs) == 1
    assert '"qq", "bb", "zz", "aa", "mm", "cc"' in outputs.pop()
