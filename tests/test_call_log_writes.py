"""log/update and revenue/update through HTTP, and what log/retrieve shows afterwards."""

from __future__ import annotations

import threading

import pytest

from mockvoso.records import CALL_LOG_FIELDS

VIAS = ["form", "json", "query"]


def a_row(api, offset: int = 0) -> dict:
    return api.ok("log/retrieve", {"limit": 1, "offset": offset})["data"]["results"][0]


def row_by_id(api, call_id: str) -> dict:
    [row] = api.ok("log/retrieve", {"id": call_id})["data"]["results"]
    return row


def extra_of(api, call_id: str) -> dict:
    return (
        api.control("GET", "snapshot").get_json()["offices"]["ACME"]["log_extra"].get(call_id, {})
    )


# --- log/update -------------------------------------------------------------------------


@pytest.mark.parametrize("via", VIAS)
def test_log_update_then_retrieve_shows_both_fields(api, via):
    row = a_row(api)
    assert list(row) == list(CALL_LOG_FIELDS)  # an untouched row: the documented keys only
    body = api.ok("log/update", {"call_log_id": row["id"], "extra_field_01": "quote sent"}, via=via)
    assert body == {"success": True}
    after = row_by_id(api, row["id"])
    assert after == {**row, "extra_field_01": "quote sent", "extra_field_02": None}
    api.ok("log/update", {"call_log_id": row["id"], "extra_field_02": "gold"}, via=via)
    assert row_by_id(api, row["id"]) == {
        **row,
        "extra_field_01": "quote sent",
        "extra_field_02": "gold",
    }
    other = a_row(api, offset=1)
    assert list(other) == list(CALL_LOG_FIELDS)  # other rows keep their shape
    with_recs = api.ok("log/retrieve", {"id": row["id"], "include_recordings": 1})["data"]
    assert with_recs["results"][0]["extra_field_02"] == "gold"


@pytest.mark.parametrize(
    ("params", "code", "text"),
    [
        ({"extra_field_01": "x"}, 6032, "Missing Call Log ID"),
        ({"call_log_id": "", "extra_field_01": "x"}, 6032, "Missing Call Log ID"),
        ({"call_log_id": 1, "extra_field_01": "x"}, 6033, "No such Call Log"),
        (
            {"call_log_id": "ROW", "extra_field_01": "", "extra_field_02": ""},
            6035,
            "Either Extra Field 01 or Extra Field 02 need to have value",
        ),
    ],
)
def test_log_update_errors_write_nothing(api, params, code, text):
    row = a_row(api)
    params = {k: (row["id"] if v == "ROW" else v) for k, v in params.items()}
    assert api.domain_error("log/update", params, code)["text"] == text
    assert row_by_id(api, row["id"]) == row
    assert api.control("GET", "snapshot").get_json()["offices"]["ACME"]["log_extra"] == {}


def test_log_update_extra_fields_hold_1000_characters(api):
    row = a_row(api)
    api.ok("log/update", {"call_log_id": row["id"], "extra_field_01": "y" * 1000})
    too_long = api.call("log/update", {"call_log_id": row["id"], "extra_field_02": "z" * 1001})
    assert too_long.status_code == 400
    assert too_long.get_json()["text"] == (
        "Invalid parameter extra_field_02: Longer than maximum length 1000."
    )
    assert extra_of(api, row["id"]) == {"extra_field_01": "y" * 1000}


# --- revenue/update ---------------------------------------------------------------------


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize(
    ("params", "stored"),
    [
        ({"revenue": "150.75"}, {"revenue": "150.75"}),
        ({"revenue": 99}, {"revenue": "99"}),
        ({"revenue": "-20.5", "return": 1}, {"revenue": "-20.5", "return": "1"}),
        ({"return": "0"}, {"return": "0"}),
    ],
)
def test_revenue_update(api, via, params, stored):
    row = a_row(api)
    body = api.ok("revenue/update", {"call_log_id": row["id"], **params}, via=via)
    assert body == {"success": True, "data": {"call_log_id": row["id"]}}
    assert isinstance(body["data"]["call_log_id"], str)
    assert extra_of(api, row["id"]) == stored
    assert row_by_id(api, row["id"]) == row  # not a documented log/retrieve key


@pytest.mark.parametrize(
    ("params", "code", "text"),
    [
        ({"revenue": "1"}, 6032, "Missing Call Log ID"),
        ({"call_log_id": 77, "revenue": "1"}, 6033, "No such Call Log"),
        ({"call_log_id": "ROW"}, 6036, "Either Revenue or Return need to have value"),
    ],
)
def test_revenue_errors(api, params, code, text):
    row = a_row(api)
    params = {k: (row["id"] if v == "ROW" else v) for k, v in params.items()}
    assert api.domain_error("revenue/update", params, code)["text"] == text
    assert extra_of(api, row["id"]) == {}


@pytest.mark.parametrize("revenue", ["abc", "1,5", "1.23456", "1e5", "NaN"])
def test_revenue_must_be_decimal(api, revenue):
    row = a_row(api)
    response = api.call("revenue/update", {"call_log_id": row["id"], "revenue": revenue})
    assert response.status_code == 400
    assert response.get_json()["text"].startswith("Invalid parameter revenue: Not a valid amount")
    assert extra_of(api, row["id"]) == {}


def test_revenue_and_extra_fields_share_the_row(api):
    row = a_row(api)
    api.ok("revenue/update", {"call_log_id": row["id"], "revenue": "10"})
    assert list(row_by_id(api, row["id"])) == list(CALL_LOG_FIELDS)  # revenue alone: no keys
    api.ok("log/update", {"call_log_id": row["id"], "extra_field_01": "a"})
    assert extra_of(api, row["id"]) == {"revenue": "10", "extra_field_01": "a"}


# --- offices, sections, reset, snapshot, threads ----------------------------------------


def test_offices_are_isolated(api, bravo_api):
    row = a_row(api)
    assert bravo_api.domain_error(
        "log/update", {"call_log_id": row["id"], "extra_field_01": "x"}, 6033
    )
    assert bravo_api.domain_error("revenue/update", {"call_log_id": row["id"], "revenue": 1}, 6033)
    assert row_by_id(api, row["id"]) == row


def test_sections(api, acme):
    row = a_row(api)
    leads_only = api.call(
        "log/update", {"call_log_id": row["id"], "extra_field_01": "x"}, token=acme.limited_token
    )
    assert leads_only.status_code == 403
    tokens = api.control("GET", "offices").get_json()["offices"][0]["tokens"]
    report = next(t["token"] for t in tokens if t["sections"] == ["campaigns", "log", "users"])
    assert api.ok("log/update", {"call_log_id": row["id"], "extra_field_01": "x"}, token=report)
    revenue = api.call("revenue/update", {"call_log_id": row["id"], "revenue": 1}, token=report)
    assert revenue.status_code == 403  # revenue is its own section
    assert extra_of(api, row["id"]) == {"extra_field_01": "x"}


def test_reset_snapshot_restore(api):
    row = a_row(api)
    api.ok("log/update", {"call_log_id": row["id"], "extra_field_02": "kept"})
    api.ok("revenue/update", {"call_log_id": row["id"], "revenue": "5.25"})
    snap = api.control("GET", "snapshot").get_json()
    assert snap["offices"]["ACME"]["log_extra"] == {
        row["id"]: {"extra_field_02": "kept", "revenue": "5.25"}
    }
    api.control("POST", "reset")
    assert row_by_id(api, row["id"]) == row
    assert api.control("POST", "snapshot", json=snap).status_code == 200
    assert row_by_id(api, row["id"])["extra_field_02"] == "kept"
    snap["offices"]["ACME"]["log_extra"][row["id"]]["colour"] = "red"
    assert api.control("POST", "snapshot", json=snap).status_code == 400


def test_deleting_the_lead_drops_the_extra_fields(api):
    row = a_row(api)
    api.ok("log/update", {"call_log_id": row["id"], "extra_field_01": "x"})
    api.ok("leads/delete", {"lead_id": row["lead_id"]})
    assert extra_of(api, row["id"]) == {}
    assert api.domain_error("log/update", {"call_log_id": row["id"], "extra_field_01": "y"}, 6033)


def test_concurrent_updates_of_different_fields_all_land(api):
    rows = api.ok("log/retrieve", {"limit": 20})["data"]["results"]
    errors: list[BaseException] = []

    def work(field: str) -> None:
        try:
            for row in rows:
                api.ok("log/update", {"call_log_id": row["id"], field: f"{field}-{row['id']}"})
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(f,)) for f in ("extra_field_01", "extra_field_02")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for row in rows:
        after = row_by_id(api, row["id"])
        assert after["extra_field_01"] == f"extra_field_01-{row['id']}"
        assert after["extra_field_02"] == f"extra_field_02-{row['id']}"
