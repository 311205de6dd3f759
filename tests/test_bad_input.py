"""Bad input gets a precise JSON error, never a 500, and writes nothing."""

from __future__ import annotations

import pytest


def total(api) -> str:
    return api.ok("leads/search")["data"]["total"]


def assert_envelope(response, status, text_part):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["success"] is False and body["code"] == status
    assert text_part in body["text"]


@pytest.mark.parametrize(
    ("body", "text"),
    [
        (b'{"list_id": 2701, "phone_number": ', "Malformed JSON body"),
        (b"[1, 2, 3]", "JSON body must be an object"),
        (b'{"list_id": {"nested": 1}}', "nested values are not supported"),
    ],
)
def test_bad_json_bodies(api, body, text):
    response = api.http.post(
        f"/v1/leads/insert?auth_token={api.token}", data=body, content_type="application/json"
    )
    assert_envelope(response, 400, text)
    assert total(api) == "300"


def test_json_body_with_form_content_type_is_read_as_json(api):
    """Real senders post JSON labelled as a form; Convoso-side code must cope."""
    response = api.http.post(
        "/v1/leads/insert",
        data=f'{{"auth_token": "{api.token}", "list_id": 2701, "phone_number": "5305550111"}}',
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200 and isinstance(response.get_json()["data"]["lead_id"], int)


def test_form_body_without_content_type(api):
    response = api.http.post(
        "/v1/campaigns/search", data=f"auth_token={api.token}".encode(), content_type=""
    )
    assert response.status_code == 200


def test_query_then_form_then_json_later_wins(api):
    response = api.http.post(
        f"/v1/leads/search?auth_token={api.token}&limit=2",
        json={"limit": 3},
    )
    assert response.get_json()["data"]["limit"] == 3
    response = api.http.post(
        f"/v1/leads/search?auth_token={api.token}&limit=2", data={"limit": "4"}
    )
    assert response.get_json()["data"]["limit"] == 4


def test_oversized_body_is_413_and_writes_nothing(api):
    response = api.http.post(
        "/v1/leads/insert",
        data={
            "auth_token": api.token,
            "list_id": "2701",
            "phone_number": "5305550111",
            "notes": "x" * (1024 * 1024 + 10),
        },
    )
    assert_envelope(response, 413, "Request body too large")
    assert total(api) == "300"


def test_non_utf8_form_body(api):
    response = api.http.post(
        f"/v1/leads/search?auth_token={api.token}",
        data=b"first_name=\xff\xfe",
        content_type="application/x-www-form-urlencoded",
    )
    assert_envelope(response, 400, "UTF-8")


def test_unknown_route_is_json_404(api):
    assert_envelope(api.http.get("/v1/leads/explode"), 404, "Not Found")
    assert_envelope(api.http.get("/nothing/here"), 404, "Not Found")


def test_wrong_method_is_json_405(api):
    response = api.http.delete(f"/v1/leads/search?auth_token={api.token}")
    assert_envelope(response, 405, "Method Not Allowed")
    assert "GET" in response.headers["Allow"] and "POST" in response.headers["Allow"]


def test_multipart_form_is_read(api):
    response = api.http.post(
        "/v1/leads/search",
        data={"auth_token": api.token, "limit": "2"},
        content_type="multipart/form-data",
    )
    assert response.get_json()["data"]["limit"] == 2


def test_repeated_query_keys_become_a_comma_list(api):
    rows = api.ok("lists/search", {"id": ["2701", "2703"]}, via="query")["data"]
    assert [row["id"] for row in rows] == [2701, 2703]


def test_boolean_words_any_case(api):
    for word in ("1", "true", "TRUE", "yes", "Y", "y"):
        rows = api.ok("log/retrieve", {"include_recordings": word, "limit": 1})["data"]["results"]
        assert "recording" in rows[0], word
    for word in ("0", "false", "No", "n"):
        rows = api.ok("log/retrieve", {"include_recordings": word, "limit": 1})["data"]["results"]
        assert "recording" not in rows[0], word
