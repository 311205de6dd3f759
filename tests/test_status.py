"""status/search, status/insert and status/update (dispositions) through HTTP."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from mockvoso.errors import DOMAIN_ERRORS

FLAGS = ("final", "reached", "success", "dnc", "callback", "contact", "voicemail")
ROW_KEYS = [
    "status",
    "name",
    *FLAGS,
    "workflow_dispositon_event_option",  # sic, as Convoso's example spells it
    "custom_status",
    "hex_color",
]
VIAS = ["form", "json", "query"]
NEW = {
    "status": "C001",
    "name": "Qualified Lead",
    "final": "N",
    "reached": "Y",
    "success": "Y",
    "dnc": "N",
    "callback": "N",
    "contact": "Y",
    "voicemail": "N",
}


def rows(api, query: str | None = None) -> list[dict]:
    body = api.ok("status/search", {"query": query} if query is not None else {})
    return body["data"]


def row(api, code: str) -> dict:
    [found] = [r for r in rows(api) if r["status"] == code]
    return found


def test_search_envelope_and_rows(api):
    body = api.ok("status/search", {"query": ""}, via="query")  # Convoso's own example
    assert list(body) == ["success", "code", "data"] and body["code"] == 200
    data = body["data"]
    assert [r["status"] for r in data] == [
        "NEW",
        "SALE",
        "CALLBK",
        "NI",
        "NQ",
        "XFER",
        "DNC",
        "NA",
        "AA",
        "HU",
        "DROP",
        "NOCONT",
        "ERI",
        "WRONG",
    ]
    for item in data:
        assert list(item) == ROW_KEYS
        assert type(item["workflow_dispositon_event_option"]) is int
    assert row(api, "SALE") == {
        "status": "SALE",
        "name": "Sale Made",
        "final": "Y",
        "reached": "Y",
        "success": "Y",
        "dnc": "N",
        "callback": "N",
        "contact": "Y",
        "voicemail": "N",
        "workflow_dispositon_event_option": 1,
        "custom_status": "N",
        "hex_color": "",
    }
    xfer = row(api, "XFER")
    assert (xfer["custom_status"], xfer["hex_color"]) == ("Y", "6711d1")


@pytest.mark.parametrize("via", VIAS)
def test_search_matches_code_or_name_in_any_case(api, via):
    found = api.ok("status/search", {"query": "cALL"}, via=via)["data"]
    # "Call Back", "Do Not Call", "Dropped Call"
    assert [r["status"] for r in found] == ["CALLBK", "DNC", "DROP"]
    assert [r["status"] for r in rows(api, "nocont")] == ["NOCONT"]
    assert rows(api, "no such thing") == []


@pytest.mark.parametrize("via", VIAS)
def test_insert_makes_a_custom_status(api, via):
    body = api.ok("status/insert", {**NEW, "status": "c001", "hex_color": "6711D1"}, via=via)
    assert body == {"success": True, "code": 200, "data": {"new": "1", "status": "c001"}}
    assert row(api, "c001") == {
        **NEW,
        "status": "c001",
        "workflow_dispositon_event_option": 1,
        "custom_status": "Y",
        "hex_color": "6711d1",
    }


def test_insert_of_an_existing_code_changes_nothing(api):
    api.ok("status/insert", NEW)
    again = api.ok("status/insert", {**NEW, "status": "c001", "name": "Other", "final": "Y"})
    assert again["data"] == {"new": "0", "status": "c001"}
    assert (row(api, "C001")["name"], row(api, "C001")["final"]) == ("Qualified Lead", "N")
    system = api.ok("status/insert", {**NEW, "status": "SALE", "name": "Renamed"})
    assert system["data"] == {"new": "0", "status": "SALE"}
    assert row(api, "SALE")["name"] == "Sale Made"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"name": None}, 6060),
        ({"status": None}, 6061),
        ({"status": "A"}, 6061),
        ({"status": "TOOLONG"}, 6061),
        ({"status": "AB-1"}, 6061),
        *[({flag: None}, 6062 + i) for i, flag in enumerate(FLAGS)],
        *[({flag: "yes"}, 6062 + i) for i, flag in enumerate(FLAGS)],
        ({"hex_color": "#6711d1"}, 6078),
        ({"hex_color": "6711dg"}, 6078),
    ],
)
def test_insert_errors_store_nothing(api, params, code):
    before = rows(api)
    full = {**NEW, **params}
    sent = {k: v for k, v in full.items() if v is not None}
    assert api.domain_error("status/insert", sent, code)["text"] == DOMAIN_ERRORS[code]
    assert rows(api) == before


def test_insert_error_texts_are_convosos():
    assert DOMAIN_ERRORS[6061] == (
        "Missing or Invalid Status Abbreviation, only Alphanumeric characters allowed. "
        "Must be between 2-6 characters long."
    )
    assert DOMAIN_ERRORS[6065] == "Missing or Invalid DNC option, Must be Y for Yes or N for No."
    assert DOMAIN_ERRORS[6078] == (
        "HEX color defined is invalid, do not include #, valid example: 6711d1."
    )


@pytest.mark.parametrize("via", VIAS)
def test_update_changes_a_custom_status(api, via):
    body = api.ok(
        "status/update",
        {"status": "xfer", "name": "Warm Transfer", "final": "y", "hex_color": "ABCDEF"},
        via=via,
    )
    assert body == {"success": True, "data": {"status": "XFER"}}
    assert row(api, "XFER") == {
        "status": "XFER",
        "name": "Warm Transfer",
        "final": "Y",
        "reached": "Y",
        "success": "N",
        "dnc": "N",
        "callback": "N",
        "contact": "Y",
        "voicemail": "N",
        "workflow_dispositon_event_option": 1,
        "custom_status": "Y",
        "hex_color": "abcdef",
    }
    # An empty name keeps the old one (only flags treat empty as an error).
    api.ok("status/update", {"status": "XFER", "name": "", "voicemail": "Y"}, via=via)
    assert (row(api, "XFER")["name"], row(api, "XFER")["voicemail"]) == ("Warm Transfer", "Y")


@pytest.mark.parametrize("code", ["SALE", "NEW", "ZZZZ", None])
def test_update_refuses_system_and_unknown_statuses(api, code):
    before = rows(api)
    params = {"name": "Renamed"} | ({"status": code} if code else {})
    body = api.domain_error("status/update", params, 6069)
    assert body["text"] == (
        "Missing or Invalid Status Abbreviation, Only custom statuses can be modified."
    )
    assert rows(api) == before


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize(("flag", "code"), [(f, 6071 + i) for i, f in enumerate(FLAGS)])
def test_update_with_a_flag_sent_empty_is_its_error(api, via, flag, code):
    before = rows(api)
    body = api.domain_error("status/update", {"status": "XFER", flag: ""}, code, via=via)
    assert body["text"] == (
        f"{flag.capitalize() if flag != 'dnc' else 'DNC'} option can not be set to a empty "
        "value, please assign a Y for Yes or N for No or dont set parameter."
    )
    assert rows(api) == before


def test_update_bad_flag_or_color(api):
    before = rows(api)
    api.domain_error("status/update", {"status": "XFER", "contact": "maybe"}, 6067)
    api.domain_error("status/update", {"status": "XFER", "hex_color": "#123456"}, 6078)
    assert rows(api) == before


def test_a_new_status_is_usable_at_once_by_leads(api):
    api.ok("status/insert", NEW)
    lead_id = api.ok("leads/insert", {"list_id": 2701, "phone_number": "3105557701"})["data"][
        "lead_id"
    ]
    api.ok("leads/update", {"lead_id": lead_id, "status": "C001"})
    [lead] = api.ok("leads/search", {"status": "c001"})["data"]["entries"]
    assert (lead["id"], lead["status"], lead["status_name"]) == (
        str(lead_id),
        "C001",
        "Qualified Lead",
    )
    api.ok("status/update", {"status": "C001", "name": "Hot Lead"})
    assert api.ok("leads/search", {"lead_id": lead_id})["data"]["entries"][0]["status_name"] == (
        "Hot Lead"
    )


def test_a_new_dnc_status_lists_numbers(api):
    api.ok("status/insert", {**NEW, "status": "DNCREQ", "name": "Asked Not To Call", "dnc": "Y"})
    lead_id = api.ok("leads/insert", {"list_id": 2703, "phone_number": "3105557701"})["data"][
        "lead_id"
    ]
    api.ok("leads/update", {"lead_id": lead_id, "status": "DNCREQ"})
    entries = api.ok("dnc/search", {"phone_number": "3105557701"})["data"]["entries"]
    assert [(e["campaign_id"], e["reason"]) for e in entries] == [("502", "DNC")]


def test_offices_are_isolated(api, bravo_api):
    api.ok("status/insert", NEW)
    assert [r["status"] for r in rows(bravo_api, "C001")] == []
    bravo_api.domain_error("status/update", {"status": "XFER", "name": "x"}, 6069)
    assert bravo_api.ok("status/insert", NEW)["data"]["new"] == "1"  # its own C001


@pytest.mark.parametrize("action", ["status/search", "status/insert", "status/update"])
def test_a_token_without_the_status_section_is_refused(api, acme, action):
    assert "status" not in acme.limited_sections
    response = api.call(action, NEW, token=acme.limited_token)
    assert response.status_code == 403
    assert response.get_json() == {"success": False, "code": 403, "text": "Forbidden"}


def test_reset_snapshot_and_restore_cover_statuses(api):
    seeded = rows(api)
    api.ok("status/insert", NEW)
    api.ok("status/update", {"status": "NQ", "name": "Not Qualified Yet"})
    snap = api.control("GET", "snapshot").get_json()
    assert snap["offices"]["ACME"]["statuses"][-1] == {
        **NEW,
        "custom": "Y",
        "hex_color": "",
    }
    api.control("POST", "reset")
    assert rows(api) == seeded
    assert api.control("POST", "snapshot", json=snap).status_code == 200
    assert row(api, "C001")["name"] == "Qualified Lead"
    assert row(api, "NQ")["name"] == "Not Qualified Yet"


def test_restore_refuses_a_bad_statuses_row_and_keeps_the_state(api):
    snap = api.control("GET", "snapshot").get_json()
    api.ok("status/insert", NEW)
    snap["offices"]["ACME"]["statuses"][0]["final"] = "maybe"
    response = api.control("POST", "snapshot", json=snap)
    assert response.status_code == 400 and "flags must be Y or N" in response.get_json()["error"]
    assert row(api, "C001")["name"] == "Qualified Lead"


def test_concurrent_inserts(api):
    codes = [f"T{n:03d}" for n in range(40)] * 2

    def attempt(code: str) -> str:
        return api.ok("status/insert", {**NEW, "status": code})["data"]["new"]

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(attempt, codes))
    assert results.count("1") == 40 and results.count("0") == 40
    assert len(rows(api, "T0")) == 40
