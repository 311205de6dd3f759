"""callbacks/insert, /update, /delete and /search through HTTP, with a clock the test moves."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from conftest import Api, offices_of

VIAS = ["form", "json", "query"]
ROW_KEYS = [
    "id",
    "lead_id",
    "list_id",
    "campaign_id",
    "status",
    "created_at",
    "callback_time",
    "modified_at",
    "user",
    "recipient",
    "comments",
    "context",
    "callback_seen",
    "stage",
    "class",
    "user_name",
    "directory_name",
    "campaign_name",
    "campaign_type",
    "status_name",
    "phone_number",
]
SEEDED = 12  # ACME's callbacks at 300 leads: one per 25 leads (conftest TEST_SETTINGS)
# The clock anchor (conftest TEST_SETTINGS: 2026-01-01 00:00 UTC) in ACME's time zone,
# America/Los_Angeles: every stored and answered timestamp is the office's local time.
START = "2025-12-31 16:00:00"


@pytest.fixture
def cb(clocked, clock) -> Api:
    """An ACME client of the clocked app, freshly reset, clock at the anchor."""
    app, _ = clocked
    return Api(app, offices_of(app)["ACME"].full_token)


@pytest.fixture
def cb_bravo(clocked, clock) -> Api:
    app, _ = clocked
    return Api(app, offices_of(app)["BRAVO"].full_token)


def search(api: Api, **params) -> dict:
    return api.ok("callbacks/search", params)["data"]


def rows(api: Api, **params) -> list[dict]:
    return search(api, **params)["results"]


def a_lead(api: Api, offset: int = 0) -> dict:
    return api.ok("leads/search", {"limit": 1, "offset": offset})["data"]["entries"][0]


def insert(api: Api, lead_id: str, **params) -> str:
    body = {
        "lead_id": lead_id,
        "recipient": "personal",
        "user_id": "1000002",
        "callback_time_zone": "-7.00",
        "callback_time": "2026-01-03 02:30 PM",
        **params,
    }
    return api.ok("callbacks/insert", body)["data"]["callback_id"]


# --- search -----------------------------------------------------------------------------


def test_search_envelope_counts_are_strings_and_rows_have_every_key(cb):
    body = cb.ok("callbacks/search")
    assert list(body) == ["success", "data"]
    data = body["data"]
    assert list(data) == ["offset", "limit", "total", "results"]
    assert (data["offset"], data["limit"], data["total"]) == ("0", "20", str(SEEDED))
    assert len(data["results"]) == SEEDED
    assert [int(r["id"]) for r in data["results"]] == sorted(int(r["id"]) for r in data["results"])
    for row in data["results"]:
        assert list(row) == ROW_KEYS
        for key, value in row.items():
            if key == "callback_seen":
                assert value is None or isinstance(value, str)
            else:
                assert isinstance(value, str), (key, value)
        assert row["recipient"] in ("USERONLY", "ANYONE")
        assert row["campaign_type"] == "OUTBOUND"
        assert row["class"] == row["stage"].replace(" ", "").lower()


def test_seed_has_every_stage_on_real_leads_and_agents(cb, acme):
    found = rows(cb, limit=100)
    assert {r["stage"] for r in found} == {
        "Pending",
        "Past Due",
        "Missed",
        "Completed",
        "Dismissed",
    }
    agents = {u["user_id"]: f"{u['first_name']} {u['last_name']}" for u in acme.users}
    for row in found:
        lead = cb.ok("leads/search", {"lead_id": row["lead_id"]})["data"]["entries"]
        assert len(lead) == 1, row
        assert row["phone_number"] == lead[0]["phone_number"]
        assert row["list_id"] == lead[0]["list_id"] and row["campaign_id"] == lead[0]["campaign_id"]
        assert row["directory_name"] == lead[0]["directory_name"]
        assert row["status_name"] == lead[0]["status_name"]
        if row["recipient"] == "USERONLY":
            assert row["user_name"] == agents[row["user"]]
        else:
            assert row["user"] == "" and row["user_name"] == ""
        seen = row["status"] in ("COMPLETED", "DISMISSED")
        assert (row["callback_seen"] is not None) is seen
        assert row["status"] == ("ACTIVE" if not seen else row["stage"].upper())


def _stage_counts(api: Api) -> Counter:
    return Counter(row["stage"] for row in rows(api, limit=100))


@pytest.mark.parametrize(
    ("word", "stage"),
    [
        ("PENDING", "Pending"),
        ("PASTDUE", "Past Due"),
        ("PAST_DUE", "Past Due"),  # the SDKs' spelling
        ("past_due", "Past Due"),
        ("MISSED", "Missed"),
        ("Completed", "Completed"),
        ("DISMISSED", "Dismissed"),
    ],
)
def test_stage_filter(cb, word, stage):
    data = search(cb, stage=word, limit=100)
    assert data["total"] == str(_stage_counts(cb)[stage]) and int(data["total"]) >= 1
    assert {row["stage"] for row in data["results"]} == {stage}


def test_filters_by_key_and_text(cb):
    every = rows(cb, limit=100)
    one = every[0]
    assert rows(cb, id=one["id"]) == [one]
    assert [r["id"] for r in rows(cb, lead_id=one["lead_id"])] == [
        r["id"] for r in every if r["lead_id"] == one["lead_id"]
    ]
    personal = [r for r in every if r["recipient"] == "USERONLY"]
    user = personal[0]["user"]
    assert rows(cb, user_id=user) == [r for r in every if r["user"] == user]
    assert rows(cb, recipient="Personal", limit=100) == personal
    assert rows(cb, recipient="System", limit=100) == [r for r in every if r not in personal]
    assert rows(cb, list_id=one["list_id"], limit=100) == [
        r for r in every if r["list_id"] == one["list_id"]
    ]
    assert rows(cb, campaign_id=one["campaign_id"], limit=100) == [
        r for r in every if r["campaign_id"] == one["campaign_id"]
    ]
    commented = next(r for r in every if r["comments"])
    part = commented["comments"][3:9].upper()  # partial, any case
    assert rows(cb, comments=part, limit=100) == [
        r for r in every if part.lower() in r["comments"].lower()
    ]
    day = one["callback_time"][:10]
    assert rows(cb, start_date=day, end_date=day, limit=100) == [
        r for r in every if r["callback_time"][:10] == day
    ]
    assert rows(cb, id=one["id"], lead_id="1") == []  # filters combine with AND
    assert rows(cb, account_id=1, limit=100) == every  # accepted, one account per office


@pytest.mark.parametrize("via", VIAS)
def test_paging_and_methods(cb, via):
    every = rows(cb, limit=100)
    body = cb.ok("callbacks/search", {"offset": 2, "limit": 3}, via=via)["data"]
    assert (body["offset"], body["limit"], body["total"]) == ("2", "3", str(SEEDED))
    assert body["results"] == every[2:5]
    capped = cb.ok("callbacks/search", {"limit": 9999}, via=via)["data"]
    assert capped["limit"] == "5000" and len(capped["results"]) == SEEDED
    assert search(cb, offset=500)["results"] == []


@pytest.mark.parametrize(
    ("params", "code", "text"),
    [({"limit": 0}, 7230, "Invalid limit value"), ({"offset": -1}, 7231, "Invalid offset value")],
)
def test_search_paging_errors(cb, params, code, text):
    assert cb.domain_error("callbacks/search", params, code)["text"] == text


def test_search_bad_stage_is_a_precise_400(cb):
    response = cb.call("callbacks/search", {"stage": "LATE"})
    assert response.status_code == 400
    assert response.get_json()["text"].startswith("Invalid parameter stage: Must be one of:")


# --- insert -----------------------------------------------------------------------------


@pytest.mark.parametrize("via", VIAS)
def test_insert_personal_callback_converts_the_time_zone(cb, via):
    lead = a_lead(cb)
    body = cb.ok(
        "callbacks/insert",
        {
            "lead_id": lead["id"],
            "recipient": "personal",
            "user_id": 1000002,
            "callback_time_zone": "-7.00",
            "callback_time": "2026-01-03 02:30 PM",
            "comments": "Wants the Gold plan",
        },
        via=via,
    )
    assert list(body) == ["success", "data"] and list(body["data"]) == ["callback_id"]
    callback_id = body["data"]["callback_id"]
    assert isinstance(callback_id, str) and callback_id == "97000013"
    [row] = rows(cb, id=callback_id)
    assert row == {
        "id": callback_id,
        "lead_id": lead["id"],
        "list_id": lead["list_id"],
        "campaign_id": lead["campaign_id"],
        "status": "ACTIVE",
        "created_at": START,
        "callback_time": "2026-01-03 13:30:00",  # 2:30 PM at UTC-7 is 1:30 PM at UTC-8
        "modified_at": START,
        "user": "1000002",
        "recipient": "USERONLY",
        "comments": "Wants the Gold plan",
        "context": row["context"],
        "callback_seen": None,
        "stage": "Pending",
        "class": "pending",
        "user_name": "Marcus Reed",
        "directory_name": lead["directory_name"],
        "campaign_name": lead["campaign_name"],
        "campaign_type": "OUTBOUND",
        "status_name": lead["status_name"],
        "phone_number": lead["phone_number"],
    }
    every_day = {"lead_id": lead["id"], "start_time": "2000-01-01", "end_time": "2100-01-01"}
    calls = cb.ok("log/retrieve", every_day)["data"]["results"]
    assert row["context"] == (calls[0]["id"] if calls else "0")  # its latest call
    assert search(cb)["total"] == str(SEEDED + 1)


@pytest.mark.parametrize(
    ("zone", "when", "expected"),
    [
        ("America/Los_Angeles", "2026-01-05 09:15:00", "2026-01-05 09:15:00"),  # walmat
        ("America/New_York", "2026-07-05 09:15", "2026-07-05 06:15:00"),  # summer time
        ("0", "2026-01-05 12:00 am", "2026-01-04 16:00:00"),
        ("+5.50", "2026-01-05 06:00 AM", "2026-01-04 16:30:00"),  # decimal hours
    ],
)
def test_insert_system_callback_time_formats(cb, zone, when, expected):
    callback_id = insert(
        cb, a_lead(cb)["id"], recipient="System", user_id="", callback_time_zone=zone,
        callback_time=when,
    )  # fmt: skip
    [row] = rows(cb, id=callback_id)
    assert row["callback_time"] == expected
    assert (row["recipient"], row["user"], row["user_name"]) == ("ANYONE", "", "")


@pytest.mark.parametrize("missing", ["lead_id", "recipient", "callback_time_zone", "callback_time"])
def test_insert_required_fields(cb, missing):
    params = {
        "lead_id": a_lead(cb)["id"],
        "recipient": "system",
        "callback_time_zone": "-5.00",
        "callback_time": "2026-01-03 10:00 AM",
    }
    params[missing] = ""  # empty is absent
    body = cb.domain_error("callbacks/insert", params, 6023)
    assert body["text"] == "Required fields are missed"
    assert search(cb)["total"] == str(SEEDED)


@pytest.mark.parametrize(
    ("change", "code", "text"),
    [
        ({"lead_id": 1}, 6001, "No such Lead"),
        ({"user_id": 2000001}, 6006, "No such User"),  # BRAVO's agent
        ({"user_id": ""}, 6023, "Required fields are missed"),  # personal needs an agent
        ({"callback_time": "tomorrow"}, 7237, "Invalid callback_time"),
        ({"callback_time": "2026-02-30 10:00 AM"}, 7237, "Invalid callback_time"),
        ({"callback_time": "2026-01-03 13:00 PM"}, 7237, "Invalid callback_time"),
    ],
)
def test_insert_domain_errors_store_nothing(cb, change, code, text):
    params = {
        "lead_id": a_lead(cb)["id"],
        "recipient": "personal",
        "user_id": 1000001,
        "callback_time_zone": "-5.00",
        "callback_time": "2026-01-03 10:00 AM",
        **change,
    }
    assert cb.domain_error("callbacks/insert", params, code)["text"] == text
    assert search(cb)["total"] == str(SEEDED)


@pytest.mark.parametrize(
    ("change", "text"),
    [
        ({"callback_time_zone": "Mars/Olympus"}, "Invalid parameter callback_time_zone: "),
        ({"callback_time_zone": "-99.00"}, "Invalid parameter callback_time_zone: "),
        ({"recipient": "everyone"}, "Invalid parameter recipient: Must be one of:"),
        ({"lead_id": "abc"}, "Invalid parameter lead_id: Not a valid whole number: 'abc'."),
        ({"comments": "x" * 256}, "Invalid parameter comments: Longer than maximum length 255."),
    ],
)
def test_insert_bad_values_are_precise_400s(cb, change, text):
    params = {
        "lead_id": a_lead(cb)["id"],
        "recipient": "system",
        "callback_time_zone": "-5.00",
        "callback_time": "2026-01-03 10:00 AM",
        **change,
    }
    response = cb.call("callbacks/insert", params)
    assert response.status_code == 400
    body = response.get_json()
    assert body["success"] is False and body["code"] == 400 and body["text"].startswith(text)
    assert search(cb)["total"] == str(SEEDED)


# --- update and delete ------------------------------------------------------------------


@pytest.mark.parametrize("via", VIAS)
def test_update_changes_only_what_was_sent(cb, clock, via):
    callback_id = insert(cb, a_lead(cb)["id"])
    [before] = rows(cb, id=callback_id)
    clock.now += 90
    body = cb.ok(
        "callbacks/update",
        {
            "callback_id": callback_id,
            "comments": "Moved to the morning",
            "callback_time_zone": "-5.00",
            "callback_time": "2026-01-04 09:00 AM",
            "user_id": 1000003,
        },
        via=via,
    )
    assert body == {"success": True, "data": {"callback_id": callback_id}}
    [after] = rows(cb, id=callback_id)
    assert after == {
        **before,
        "comments": "Moved to the morning",
        "callback_time": "2026-01-04 06:00:00",
        "user": "1000003",
        "user_name": "Priya Shah",
        "modified_at": "2025-12-31 16:01:30",
    }
    assert rows(cb, user_id="1000002", lead_id=before["lead_id"]) == []  # index moved
    assert rows(cb, user_id="1000003", id=callback_id) == [after]


@pytest.mark.parametrize("field", ["callback_status", "status"])
@pytest.mark.parametrize("word", ["dismissed", "Dismissed", "DISMISSED"])
def test_update_dismisses(cb, field, word):
    callback_id = insert(cb, a_lead(cb)["id"])
    cb.ok("callbacks/update", {"callback_id": callback_id, field: word})
    [row] = rows(cb, id=callback_id)
    assert (row["status"], row["stage"], row["class"]) == ("DISMISSED", "Dismissed", "dismissed")
    assert row["callback_seen"] == START
    assert row in rows(cb, stage="DISMISSED", limit=100)


@pytest.mark.parametrize(
    ("params", "code", "text"),
    [
        ({}, 6023, "Required fields are missed"),
        ({"callback_id": 1}, 6038, "No such Callback"),
        ({"user_id": 2000001}, 6006, "No such User"),
        ({"callback_time": "2026-01-04 09:00 AM"}, 6023, "Required fields are missed"),
        ({"comments": "x", "callback_time_zone": "0", "callback_time": "soon"}, 7237,
         "Invalid callback_time"),
        ({"recipient": "personal", "user_id": ""}, 6023, "Required fields are missed"),
    ],
)  # fmt: skip
def test_update_errors_change_nothing(cb, params, code, text):
    callback_id = insert(cb, a_lead(cb)["id"], recipient="system", user_id="")
    [before] = rows(cb, id=callback_id)
    if "callback_id" not in params and params:
        params = {"callback_id": callback_id, **params}
    assert cb.domain_error("callbacks/update", params, code)["text"] == text
    assert rows(cb, id=callback_id) == [before]


def test_delete_removes_for_good(cb):
    callback_id = insert(cb, a_lead(cb)["id"])
    assert cb.ok("callbacks/delete", {"callback_id": callback_id}, via="query") == {"success": True}
    assert rows(cb, id=callback_id) == []
    assert search(cb)["total"] == str(SEEDED)
    assert cb.domain_error("callbacks/delete", {"callback_id": callback_id}, 6038)["text"] == (
        "No such Callback"
    )
    assert cb.domain_error("callbacks/update", {"callback_id": callback_id}, 6038)
    assert cb.domain_error("callbacks/delete", {}, 6023)["text"] == "Required fields are missed"


def test_deleting_a_lead_deletes_its_callbacks(cb):
    lead_id = rows(cb)[0]["lead_id"]
    insert(cb, lead_id)
    assert len(rows(cb, lead_id=lead_id)) >= 2
    cb.ok("leads/delete", {"lead_id": lead_id})
    assert rows(cb, lead_id=lead_id) == []
    assert all(r["lead_id"] != lead_id for r in rows(cb, limit=100))


# --- stages follow the clock ------------------------------------------------------------


def test_a_pending_callback_becomes_past_due_then_missed(cb, clock):
    callback_id = insert(
        cb, a_lead(cb)["id"], callback_time_zone="0", callback_time="2026-01-01 02:00 AM"
    )
    seen = []
    for hours in (0, 1.99, 2.0, 2.01, 25.9, 26.01):
        clock.now = 1000.0 + hours * 3600
        [row] = rows(cb, id=callback_id)
        seen.append(row["stage"])
        assert row in rows(cb, stage=row["stage"].replace(" ", ""), limit=100)
    assert seen == ["Pending", "Pending", "Past Due", "Past Due", "Past Due", "Missed"]
    cb.ok("callbacks/update", {"callback_id": callback_id, "status": "dismissed"})
    assert rows(cb, id=callback_id)[0]["stage"] == "Dismissed"


def test_seeded_pending_callbacks_fall_due_as_time_passes(cb, clock):
    before = _stage_counts(cb)
    clock.now += 8 * 86400  # past every seeded due time (a week at most)
    after = _stage_counts(cb)
    assert after["Pending"] == 0
    assert after["Completed"] == before["Completed"] and after["Dismissed"] == before["Dismissed"]
    assert after["Missed"] + after["Past Due"] == (
        before["Missed"] + before["Past Due"] + before["Pending"]
    )


# --- offices, tokens, reset, snapshot ---------------------------------------------------


def test_offices_are_isolated(cb, cb_bravo):
    acme_rows = rows(cb, limit=100)
    bravo_rows = rows(cb_bravo, limit=100)
    assert acme_rows and bravo_rows
    assert not {r["id"] for r in acme_rows} & {r["id"] for r in bravo_rows}
    one = acme_rows[0]
    assert rows(cb_bravo, lead_id=one["lead_id"]) == [] and rows(cb_bravo, id=one["id"]) == []
    assert cb_bravo.domain_error("callbacks/update", {"callback_id": one["id"]}, 6038)
    assert cb_bravo.domain_error("callbacks/delete", {"callback_id": one["id"]}, 6038)
    bad = {"lead_id": one["lead_id"], "recipient": "system", "callback_time_zone": "0",
           "callback_time": "2026-01-02 10:00 AM"}  # fmt: skip
    assert cb_bravo.domain_error("callbacks/insert", bad, 6001)
    assert rows(cb, limit=100) == acme_rows


@pytest.mark.parametrize("action", ["callbacks/search", "callbacks/insert", "callbacks/delete"])
def test_limited_token_is_forbidden(cb, acme, action):
    assert "callbacks" not in acme.limited_sections
    response = cb.call(action, {"callback_id": 97000001}, token=acme.limited_token)
    assert response.status_code == 403
    assert response.get_json() == {"success": False, "code": 403, "text": "Forbidden"}
    assert search(cb)["total"] == str(SEEDED)


def test_reset_snapshot_and_restore_cover_callbacks(cb):
    seeded = rows(cb, limit=100)
    new_id = insert(cb, a_lead(cb)["id"])
    cb.ok("callbacks/update", {"callback_id": seeded[0]["id"], "comments": "changed"})
    cb.ok("callbacks/delete", {"callback_id": seeded[1]["id"]})
    changed = rows(cb, limit=100)
    snap = cb.control("GET", "snapshot").get_json()
    acme = snap["offices"]["ACME"]
    assert acme["next_callback_id"] == int(new_id) + 1
    assert [c["id"] for c in acme["callbacks"]] == [int(r["id"]) for r in changed]
    cb.control("POST", "reset")
    assert rows(cb, limit=100) == seeded
    assert cb.control("POST", "snapshot", json=snap).status_code == 200
    assert rows(cb, limit=100) == changed
    assert rows(cb, user_id="1000002", id=new_id)  # indexes rebuilt
    assert insert(cb, a_lead(cb)["id"]) == str(int(new_id) + 1)  # the counter too


def test_restore_refuses_a_bad_callback_and_keeps_the_state(cb):
    snap = cb.control("GET", "snapshot").get_json()
    insert(cb, a_lead(cb)["id"])
    snap["offices"]["ACME"]["callbacks"][0]["comments"] = 5
    response = cb.control("POST", "snapshot", json=snap)
    assert response.status_code == 400 and "comments" in response.get_json()["error"]
    assert search(cb)["total"] == str(SEEDED + 1)


def test_concurrent_inserts_all_land_with_unique_ids(cb):
    lead_id = a_lead(cb)["id"]
    before = len(rows(cb, lead_id=lead_id, recipient="system", limit=500))
    ids: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            for _ in range(25):
                new = insert(cb, lead_id, recipient="system", user_id="")
                with lock:
                    ids.append(new)
        except BaseException as exc:  # surfaced below: a thread cannot fail the test
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(ids) == 200 and len(set(ids)) == 200
    assert sorted(int(i) for i in ids) == list(range(97000013, 97000213))
    assert search(cb)["total"] == str(SEEDED + 200)
    assert search(cb, lead_id=lead_id, recipient="system")["total"] == str(before + 200)
