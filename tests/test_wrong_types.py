"""A value of the wrong type is HTTP 400 with one wording on every action; an unknown id stays a domain error."""

from __future__ import annotations

import pytest

WRONG_TYPES = [
    ("leads/insert", {"list_id": "abc", "phone_number": "5305550101"}, "list_id"),
    ("leads/update", {"lead_id": "abc"}, "lead_id"),
    ("leads/delete", {"lead_id": "abc"}, "lead_id"),
    ("leads/search", {"list_id": "abc"}, "list_id"),
    ("leads/search", {"lead_id": "abc"}, "lead_id"),
    ("lists/search", {"id": "abc"}, "id"),
    ("campaigns/status", {"campaign_id": "abc", "status": "A"}, "campaign_id"),
    ("log/retrieve", {"list_id": "abc"}, "list_id"),
    ("log/retrieve", {"campaign_id": "abc"}, "campaign_id"),
    ("log/retrieve", {"user_id": "abc"}, "user_id"),
    ("log/retrieve", {"queue_id": "abc"}, "queue_id"),
    ("log/retrieve", {"list_id": "2701,abc"}, "list_id"),
]


@pytest.mark.parametrize(("action", "params", "field"), WRONG_TYPES)
@pytest.mark.parametrize("via", ["query", "form", "json"])
def test_a_word_where_a_number_belongs_is_a_400(api, action, params, field, via):
    response = api.call(action, params, via=via)
    assert response.status_code == 400
    assert response.get_json() == {
        "success": False,
        "code": 400,
        "text": f"Invalid parameter {field}: Not a valid whole number: 'abc'.",
    }


@pytest.mark.parametrize(
    ("field", "code", "text"),
    [
        ("list_id", 6002, "Unknown List Id"),
        ("campaign_id", 6004, "Unknown Campaign ID"),
        ("user_id", 6006, "Unknown User Id"),
        ("queue_id", 6030, "Unknown Queue ID"),
    ],
)
def test_log_retrieve_unknown_numeric_id_is_still_a_domain_error(api, field, code, text):
    response = api.call("log/retrieve", {field: "99999999"}, via="query")
    assert response.status_code == 200
    assert response.get_json() == {"success": False, "code": code, "text": text}
