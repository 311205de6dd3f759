"""The contract is exact about inputs: what its patterns and types call valid, the server takes."""

from __future__ import annotations

import re

import pytest

from mockvoso.spec import spec_dict

SCHEMAS = spec_dict()["components"]["schemas"]


def pattern(name: str) -> re.Pattern[str]:
    node = SCHEMAS[name]
    text = node["pattern"] if "pattern" in node else node["anyOf"][0]["pattern"]
    return re.compile(text)


def contract_valid(kind: str, text: str) -> bool:
    # JSON Schema patterns are unanchored searches; ours carry their own ^...$. A match
    # must not end before a trailing newline (Python's `$` allows one, ECMA's does not).
    found = pattern(kind).search(text)
    return found is not None and found.end() == len(text)


TIMESTAMPS = [
    ("2026-01-01", True),
    ("2026-01-01 23:59:59", True),
    ("2026-01-01T00:00:00", True),
    ("2024-02-29", True),  # leap year
    ("2000-02-29", True),  # divisible by 400
    ("1900-02-29", False),  # divisible by 100, not 400
    ("2023-02-29", False),
    ("2026-04-31", False),
    ("2026-12-31 24:00:00", False),
    ("2026-13-01", False),
    ("0000-00-00", False),  # matches a naive 4-2-2 pattern: no calendar date
    ("0001-01-01", True),
    ("9999-12-31 23:59:59", True),
    (" 2026-01-01", False),  # blanks are not trimmed any more
    ("2026-1-01", False),
]


@pytest.mark.parametrize(("value", "valid"), TIMESTAMPS)
def test_timestamps_the_contract_allows_are_the_ones_the_server_takes(api, value, valid):
    assert contract_valid("Timestamp", value) is valid
    response = api.call("leads/search", {"created_at_start_date": value, "limit": 1})
    assert response.status_code == (200 if valid else 400), response.get_data(as_text=True)
    if not valid:
        assert response.get_json()["text"].startswith("Invalid parameter created_at_start_date")


@pytest.mark.parametrize(
    ("value", "valid"),
    [("99", True), ("099", True), ("0", True), ("02000", False), ("100", False), ("-1", False)],
)
def test_hopper_priority_pattern_says_its_range(api, value, valid):
    schema = SCHEMAS["LeadInsertArgs"]["properties"]["hopper_priority"]  # text: the pattern
    assert SCHEMAS["LeadInsertArgsJson"]["properties"]["hopper_priority"]["maximum"] == 99
    assert (re.fullmatch(schema["pattern"].strip("^$"), value) is not None) is valid
    response = api.call(
        "leads/insert", {"list_id": 2701, "phone_number": "5305550177", "hopper_priority": value}
    )
    assert response.status_code == (200 if valid else 400), response.get_data(as_text=True)
    body = response.get_json()
    assert body["success"] is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [("1,2", True), (" 1 , 2 ", True), ("1,,2,", True), (",", False), (" ", False), ("1 2", False)],
)
def test_id_lists_as_text(api, value, valid):
    assert contract_valid("IdList", value) is valid
    response = api.call("log/retrieve", {"id": value, "limit": 1})
    assert response.status_code == (200 if valid else 400), response.get_data(as_text=True)


def test_a_fractional_json_number_that_is_an_integer_is_that_integer(api):
    """JSON has one number type: 2701.0 is the integer 2701 (JSON Schema says so too)."""
    as_float = api.ok("leads/search", {"list_id": 2701.0, "limit": 2}, via="json")
    as_int = api.ok("leads/search", {"list_id": 2701, "limit": 2}, via="json")
    assert as_float == as_int and as_int["data"]["entries"]
    campaigns = api.ok("lists/search", {"campaign_id": 501.0}, via="json")["data"]
    assert campaigns and {row["campaign_id"] for row in campaigns} == {501}
    bad = api.call("lists/search", {"campaign_id": 501.5}, via="json")
    assert bad.status_code == 400
    assert (
        bad.get_json()["text"]
        == "Invalid parameter campaign_id: Not a valid whole number: '501.5'."
    )


@pytest.mark.parametrize(
    ("action", "params", "text"),
    [
        (
            "lists/search",
            {"campaign_id": True},
            "Invalid parameter campaign_id: Not a valid whole number: not a boolean.",
        ),
        (
            "lists/update",
            {"list_id": [2702]},
            "Invalid parameter list_id: Not a valid whole number: send one value, not an array.",
        ),
        (
            "leads/search",
            {"first_name": False},
            "Invalid parameter first_name: Not a valid string: not a boolean.",
        ),
        (
            "lists/search",
            {"status": ["1"]},
            "Invalid parameter status: Not a valid boolean: send one value, not an array.",
        ),
        (
            "lists/search",
            {"id": []},
            "Invalid parameter id: Must name at least one value, and no empty one.",
        ),
        (
            "lists/search",
            {"id": ["2701", ""]},
            "Invalid parameter id: Must name at least one value, and no empty one.",
        ),
        ("lists/search", {"id": True}, "Invalid parameter id: Not a valid list: not a boolean."),
    ],
)
def test_json_booleans_and_arrays_only_where_the_contract_lists_them(api, action, params, text):
    response = api.call(action, params, via="json")
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json() == {"success": False, "code": 400, "text": text}


def test_json_booleans_and_arrays_where_they_belong(api):
    assert api.ok("lists/search", {"status": True}, via="json")["data"]
    rows = api.ok("lists/search", {"id": [2701, "2702"]}, via="json")["data"]
    assert [row["id"] for row in rows] == [2701, 2702]
    assert api.ok("leads/search", {"first_name": None, "limit": 1}, via="json")["data"]["total"]


def test_a_bad_value_beside_a_bad_limit_is_a_400_not_the_limit_code(api):
    """limit/offset answer their own Convoso codes only when nothing else is malformed:
    the contract calls any limit valid, and the bad boolean invalid."""
    response = api.call("log/retrieve", {"limit": "0", "include_recordings": "maybe"})
    assert response.status_code == 400
    assert response.get_json()["text"].startswith("Invalid parameter include_recordings")
    api.domain_error("log/retrieve", {"limit": "0"}, 7230)
    api.domain_error("log/retrieve", {"offset": [1, 2]}, 7231, via="json")


def test_unknown_json_keys_follow_param_value(api):
    """Unknown keys are ignored (or custom fields) whatever their JSON type, but a nested
    object is refused, as ParamValue (their schema) says."""
    extra = SCHEMAS["ListSearchArgsJson"]["additionalProperties"]
    assert extra["$ref"] == "#/components/schemas/ParamValue"
    assert api.ok("lists/search", {"x": [1, "a"], "y": True, "z": None}, via="json")["data"]
    response = api.call("lists/search", {"x": {"a": 1}}, via="json")
    assert response.status_code == 400
    assert response.get_json()["text"] == "Invalid parameter x: nested values are not supported"


@pytest.mark.parametrize(
    ("number", "valid"),
    [(10**255 - 1, True), (10**255, False), (-(10**254) + 1, True), (-(10**254), False)],
)
def test_a_json_number_in_bounded_text_is_bounded_by_its_digits(api, number, valid):
    """lists/insert `description` (at most 255 characters): a number is read as its digits."""
    schema = SCHEMAS["ListInsertArgsJson"]["properties"]["description"]
    in_contract = schema["exclusiveMinimum"] < number < schema["exclusiveMaximum"]
    assert in_contract is valid
    response = api.call(
        "lists/insert", {"name": "Numbers as descriptions", "description": number}, via="json"
    )
    assert response.status_code == (200 if valid else 400), response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("value", "valid"),
    [("0", True), ("300", True), ("0300", True), ("301", False), ("2000", False)],
)
def test_an_upper_bound_is_in_the_pattern(api, value, valid):
    """leads/insert `hopper_expires_in` (at most 300): a query carries text, so the bound
    is in the pattern, leading zeros and all."""
    schema = SCHEMAS["LeadInsertArgs"]["properties"]["hopper_expires_in"]
    found = re.compile(schema["pattern"]).search(value)
    assert (found is not None and found.end() == len(value)) is valid
    params = {"list_id": 2701, "phone_number": "5305550123", "hopper_expires_in": value}
    response = api.call("leads/insert", params)
    assert response.status_code == (200 if valid else 400), response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("year", "valid"),
    [("2028-02-29 00:00:00", True), ("2027-02-29 00:00:00", False), ("0000-00-00 00:00:00", False)],
)
def test_the_clock_takes_exactly_the_dates_its_contract_calls_valid(api, year, valid):
    set_pattern = re.compile(SCHEMAS["ClockMove"]["properties"]["set"]["pattern"])
    assert (set_pattern.search(year) is not None) is valid
    response = api.control("POST", "clock", json={"set": year})
    assert response.status_code == (200 if valid else 400), response.get_data(as_text=True)


def test_an_advance_past_year_9999_is_a_400_and_moves_nothing(api):
    before = api.control("GET", "clock").get_json()
    response = api.control("POST", "clock", json={"set": "2030-01-01 00:00:00", "advance": 8.5e307})
    assert response.status_code == 400
    assert response.get_json() == {
        "error": "advance: 8.5e+307 seconds would take the clock past year 9999",
        "field": "advance",
    }
    assert api.control("GET", "clock").get_json()["now"][:4] == before["now"][:4]


@pytest.mark.parametrize("url", ["http://A]3Sn", "http://[::1", "http://"])
def test_a_webhook_url_urlsplit_refuses_is_a_400(api, url):
    response = api.control("POST", "webhooks", json={"url": url})
    assert response.status_code == 400
    assert response.get_json() == {
        "error": f"url: expected an http:// or https:// URL, got {url!r}",
        "field": "url",
    }
    assert api.control("GET", "webhooks").get_json() == {"webhooks": []}
